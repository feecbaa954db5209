using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.CoreContracts;

[TestFixture]
public sealed class SelectorSetTests
{
    private static readonly object[] s_supersetCases =
    [
        new object[] { new[] { "unix:uid:1", "unix:gid:2" }, new[] { "unix:uid:1" }, true },
        new object[] { new[] { "unix:uid:1", "unix:gid:2" }, new[] { "unix:uid:1", "unix:gid:2" }, true },
        new object[] { new[] { "unix:uid:1" }, new[] { "unix:uid:1", "unix:gid:2" }, false },
        new object[] { new[] { "unix:uid:1" }, new[] { "unix:uid:10" }, false },
        new object[] { new[] { "unix:uid:1" }, Array.Empty<string>(), true },
    ];

    [Test]
    public void Create_DuplicatesAndDisorder_DeduplicatesAndOrders()
    {
        // Arrange
        var selectors = new[] { "unix:uid:1", "container:id:a", "unix:uid:1", "unix:gid:1" }.Select(Selector.Parse);

        // Act
        var set = SelectorSet.Create(selectors);

        // Assert
        Assert.That(set, Has.Count.EqualTo(3));
        Assert.That(set.Select(s => s.ToString()), Is.EqualTo(new[] { "container:id:a", "unix:gid:1", "unix:uid:1" }));
        Assert.That(set.ToString(), Is.EqualTo("container:id:a,unix:gid:1,unix:uid:1"));
    }

    [TestCaseSource(nameof(s_supersetCases))]
    public void IsSupersetOf_EntrySelectors_MatchesSetInclusion(string[] workload, string[] entry, bool expected)
    {
        // Arrange
        var set = SelectorSet.Create(workload.Select(Selector.Parse));

        // Act
        var result = set.IsSupersetOf(entry.Select(Selector.Parse));

        // Assert
        Assert.That(result, Is.EqualTo(expected));
    }

    [Test]
    public void Contains_PresentAndAbsent_ReportsMembership()
    {
        // Arrange
        var set = SelectorSet.Create([Selector.Parse("unix:uid:1")]);

        // Act / Assert
        Assert.That(set.Contains(Selector.Parse("unix:uid:1")), Is.True);
        Assert.That(set.Contains(Selector.Parse("unix:uid:2")), Is.False);
        Assert.That(SelectorSet.Create([]), Is.SameAs(SelectorSet.Empty));
    }
}
