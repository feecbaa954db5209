using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Core.Sync;
using Spiffe.Agent.Core.Tests.Fakes;

namespace Spiffe.Agent.Core.Tests.Sync;

[TestFixture]
public sealed class RotationPolicyTests
{
    private static readonly DateTimeOffset NotBefore = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = NotBefore.AddHours(10);

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void ShouldRotate_MoreThanFiftyFivePercentRemaining_False(double jitter)
    {
        // Arrange
        var clock = new FakeTimeProvider(NotBefore);
        clock.Advance(TimeSpan.FromHours(4.4));

        // Act
        var rotate = RotationPolicy.ShouldRotate(clock.GetUtcNow(), NotBefore, NotAfter, new FixedRandom(jitter));

        // Assert
        Assert.That(rotate, Is.False);
    }

    [TestCase(0.0)]
    [TestCase(0.5)]
    [TestCase(1.0)]
    public void ShouldRotate_LessThanFortyFivePercentRemaining_True(double jitter)
    {
        // Arrange
        var clock = new FakeTimeProvider(NotBefore);
        clock.Advance(TimeSpan.FromHours(5.6));

        // Act
        var rotate = RotationPolicy.ShouldRotate(clock.GetUtcNow(), NotBefore, NotAfter, new FixedRandom(jitter));

        // Assert
        Assert.That(rotate, Is.True);
    }

    [TestCase(0.0, false)]
    [TestCase(0.49, false)]
    [TestCase(0.51, true)]
    [TestCase(1.0, true)]
    public void ShouldRotate_HalfLifeExactly_DependsOnJitter(double jitter, bool expected)
    {
        // Arrange: 50 % remaining; threshold = (0.45 + 0.1 × jitter) of the lifetime
        var clock = new FakeTimeProvider(NotBefore);
        clock.Advance(TimeSpan.FromHours(5));

        // Act
        var rotate = RotationPolicy.ShouldRotate(clock.GetUtcNow(), NotBefore, NotAfter, new FixedRandom(jitter));

        // Assert
        Assert.That(rotate, Is.EqualTo(expected));
    }

    [Test]
    public void ShouldRotate_Expired_True()
    {
        // Arrange
        var clock = new FakeTimeProvider(NotAfter);
        clock.Advance(TimeSpan.FromSeconds(1));

        // Act
        var rotate = RotationPolicy.ShouldRotate(clock.GetUtcNow(), NotBefore, NotAfter, new FixedRandom(1.0));

        // Assert
        Assert.That(rotate, Is.True);
    }

    [Test]
    public void ShouldRotate_FreshlyIssued_False()
    {
        // Act
        var rotate = RotationPolicy.ShouldRotate(NotBefore, NotBefore, NotAfter, new FixedRandom(1.0));

        // Assert
        Assert.That(rotate, Is.False);
    }
}
