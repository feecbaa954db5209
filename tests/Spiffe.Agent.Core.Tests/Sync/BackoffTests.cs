using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Tests.Fakes;

namespace Spiffe.Agent.Core.Tests.Sync;

[TestFixture]
public sealed class BackoffTests
{
    [Test]
    public void Next_NoJitter_GrowsByOneAndAHalfUpToTheMaximum()
    {
        // Arrange: NextDouble 0.5 gives zero jitter
        var backoff = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), new FixedRandom(0.5));

        // Act
        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();

        // Assert
        Assert.That(delays, Is.EqualTo(new[] { 5, 7.5, 11.25, 15, 15 }).Within(1e-9));
    }

    [TestCase(0.0, 4.5)]
    [TestCase(1.0, 5.5)]
    public void Next_Jitter_StaysWithinTenPercent(double random, double expectedSeconds)
    {
        // Arrange
        var backoff = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), new FixedRandom(random));

        // Act
        var delay = backoff.Next();

        // Assert
        Assert.That(delay.TotalSeconds, Is.EqualTo(expectedSeconds).Within(1e-9));
    }

    [Test]
    public void Reset_AfterGrowth_StartsAgainFromTheInitialInterval()
    {
        // Arrange
        var backoff = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), new FixedRandom(0.5));
        backoff.Next();
        backoff.Next();

        // Act
        backoff.Reset();

        // Assert
        Assert.That(backoff.Next(), Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void Constructor_MaximumBelowInitial_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), new FixedRandom(0.5)));
    }
}
