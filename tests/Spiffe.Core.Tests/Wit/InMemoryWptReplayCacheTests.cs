namespace Spiffe.Core.Tests.Wit;

[TestFixture]
public sealed class InMemoryWptReplayCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public void TryAdd_NewKey_RecordsIt()
    {
        // Arrange
        var cache = new InMemoryWptReplayCache();

        // Act
        var added = cache.TryAdd("a", Now.AddMinutes(1), Now);

        // Assert
        Assert.That(added, Is.True);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void TryAdd_SameKeyBeforeExpiry_Refused()
    {
        // Arrange
        var cache = new InMemoryWptReplayCache();
        cache.TryAdd("a", Now.AddMinutes(1), Now);

        // Act
        var added = cache.TryAdd("a", Now.AddMinutes(2), Now.AddMinutes(1));

        // Assert
        Assert.That(added, Is.False);
    }

    [Test]
    public void TryAdd_SameKeyAfterExpiry_AcceptedBecausePruned()
    {
        // Arrange
        var cache = new InMemoryWptReplayCache();
        cache.TryAdd("a", Now.AddMinutes(1), Now);

        // Act
        var added = cache.TryAdd("a", Now.AddMinutes(3), Now.AddMinutes(1).AddTicks(1));

        // Assert
        Assert.That(added, Is.True);
        Assert.That(cache.Count, Is.EqualTo(1));
    }

    [Test]
    public void TryAdd_Full_RefusedUntilAnEntryExpires()
    {
        // Arrange
        var cache = new InMemoryWptReplayCache(capacity: 2);
        cache.TryAdd("a", Now.AddMinutes(1), Now);
        cache.TryAdd("b", Now.AddMinutes(2), Now);

        // Act
        var whileFull = cache.TryAdd("c", Now.AddMinutes(3), Now.AddSeconds(30));
        var afterExpiry = cache.TryAdd("c", Now.AddMinutes(3), Now.AddMinutes(1).AddSeconds(1));

        // Assert
        Assert.That(whileFull, Is.False);
        Assert.That(afterExpiry, Is.True);
        Assert.That(cache.Count, Is.EqualTo(2));
    }

    [Test]
    public void TryAdd_ConcurrentSameKey_ExactlyOneWins()
    {
        // Arrange
        var cache = new InMemoryWptReplayCache();

        // Act
        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => cache.TryAdd("same", Now.AddMinutes(1), Now)).ToList();

        // Assert
        Assert.That(results.Count(r => r), Is.EqualTo(1));
    }

    [Test]
    public void Constructor_CapacityBelowOne_Throws()
    {
        // Act + Assert
        Assert.That(() => new InMemoryWptReplayCache(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
