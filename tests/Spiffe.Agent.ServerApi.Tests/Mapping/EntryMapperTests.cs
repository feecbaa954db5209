using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Agent.ServerApi.Tests.Mapping;

[TestFixture]
public sealed class EntryMapperTests
{
    [Test]
    public void TryMap_CompleteEntry_MapsEveryField()
    {
        // Arrange
        var entry = ValidEntry();
        entry.FederatesWith.Add("partner.org");
        entry.Hint = "web";
        entry.CreatedAt = 1_700_000_123;
        entry.RevisionNumber = 7;
        entry.X509SvidTtl = 3600;
        entry.JwtSvidTtl = 300;
        entry.Admin = true;
        entry.AdditionalAttributes = new Entry.Types.AdditionalAttributes { DisableX509SvidPrefetch = true, JwtSvidIncludeJti = true };

        // Act
        var mapped = EntryMapper.TryMap(entry, out var result, out var reason);

        // Assert
        Assert.That(mapped, Is.True, reason);
        Assert.That(result!.Id, Is.EqualTo("e1"));
        Assert.That(result.SpiffeId, Is.EqualTo(SpiffeId.Parse("spiffe://example.org/web")));
        Assert.That(result.Selectors.ToString(), Is.EqualTo("unix:gid:1000,unix:uid:1000"));
        Assert.That(result.FederatesWith, Is.EqualTo(new[] { TrustDomain.Parse("partner.org") }));
        Assert.That(result.Hint, Is.EqualTo("web"));
        Assert.That(result.CreatedAt.ToUnixTimeSeconds(), Is.EqualTo(1_700_000_123));
        Assert.That(result.RevisionNumber, Is.EqualTo(7));
        Assert.That(result.X509SvidTtl, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(result.JwtSvidTtl, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(result.Admin, Is.True);
        Assert.That(result.DisableX509SvidPrefetch, Is.True);
        Assert.That(result.JwtSvidIncludeJti, Is.True);
    }

    [TestCase("id", TestName = "TryMap_MissingId_Dropped")]
    [TestCase("selectors", TestName = "TryMap_NoSelectors_Dropped")]
    [TestCase("type-colon", TestName = "TryMap_SelectorTypeWithColon_Dropped")]
    [TestCase("empty-type", TestName = "TryMap_EmptySelectorType_Dropped")]
    [TestCase("empty-value", TestName = "TryMap_EmptySelectorValue_Dropped")]
    [TestCase("spiffe-id", TestName = "TryMap_InvalidSpiffeId_Dropped")]
    [TestCase("federates-with", TestName = "TryMap_InvalidFederatedTrustDomain_Dropped")]
    public void TryMap_MalformedEntry_IsRejectedWithAReason(string defect)
    {
        // Arrange
        var entry = ValidEntry();
        switch (defect)
        {
            case "id": entry.Id = string.Empty; break;
            case "selectors": entry.Selectors.Clear(); break;
            case "type-colon": entry.Selectors.Add(new Selector { Type = "unix:uid", Value = "1" }); break;
            case "empty-type": entry.Selectors.Add(new Selector { Type = string.Empty, Value = "1" }); break;
            case "empty-value": entry.Selectors.Add(new Selector { Type = "unix", Value = string.Empty }); break;
            case "spiffe-id": entry.SpiffeId = new SPIFFEID { TrustDomain = "Example.org", Path = "/web" }; break;
            default: entry.FederatesWith.Add("partner org!"); break;
        }

        // Act
        var mapped = EntryMapper.TryMap(entry, out var result, out var reason);

        // Assert
        Assert.That(mapped, Is.False);
        Assert.That(result, Is.Null);
        Assert.That(reason, Is.Not.Empty);
    }

    [Test]
    public void OutputMask_RequestsTheRevisionNumberAndCreationTime()
    {
        // Assert
        Assert.That(EntryMapper.OutputMask.RevisionNumber, Is.True);
        Assert.That(EntryMapper.OutputMask.CreatedAt, Is.True);
        Assert.That(EntryMapper.OutputMask.Selectors, Is.True);
        Assert.That(EntryMapper.OutputMask.ParentId, Is.False);
    }

    internal static Entry ValidEntry() => new()
    {
        Id = "e1",
        SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/web" },
        Selectors =
        {
            new Selector { Type = "unix", Value = "uid:1000" },
            new Selector { Type = "unix", Value = "gid:1000" },
        },
    };
}
