using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>Pins spire.api.types.SPIFFEID, Selector, SelectorMatch and FederatesWithMatch.</summary>
[TestFixture]
public sealed class SelectorTypesTests
{
    [Test]
    public void SpiffeId_TrustDomainAndPath_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var id = new SPIFFEID { TrustDomain = "example.org", Path = "/w" };

        // Act + Assert
        WireAssert.Encodes(id, WireBytes.Of(0x0a, 0x0b, "example.org", 0x12, 0x02, "/w"));
    }

    [Test]
    public void Selector_TypeAndValue_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var selector = new Selector { Type = "unix", Value = "uid:1000" };

        // Act + Assert
        WireAssert.Encodes(selector, WireBytes.Of(0x0a, 0x04, "unix", 0x12, 0x08, "uid:1000"));
    }

    [Test]
    public void SelectorMatch_MatchAny_EncodesSelectorsAndEnumThree()
    {
        // Arrange
        var match = new SelectorMatch
        {
            Selectors = { new Selector { Type = "t", Value = "v" } },
            Match = SelectorMatch.Types.MatchBehavior.MatchAny,
        };

        // Act + Assert
        WireAssert.Encodes(match, WireBytes.Of(
            0x0a, 0x06, 0x0a, 0x01, "t", 0x12, 0x01, "v",     // 1 selectors[0]
            0x10, 0x03));                                     // 2 match = MATCH_ANY
    }

    [Test]
    public void FederatesWithMatch_MatchSuperset_EncodesTrustDomainsAndEnumTwo()
    {
        // Arrange
        var match = new FederatesWithMatch
        {
            TrustDomains = { "td" },
            Match = FederatesWithMatch.Types.MatchBehavior.MatchSuperset,
        };

        // Act + Assert
        WireAssert.Encodes(match, WireBytes.Of(0x0a, 0x02, "td", 0x10, 0x02));
    }

    [Test]
    public void MatchBehavior_Values_AreExactSubsetSupersetAny()
    {
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)SelectorMatch.Types.MatchBehavior.MatchExact, Is.Zero);
            Assert.That((int)SelectorMatch.Types.MatchBehavior.MatchSubset, Is.EqualTo(1));
            Assert.That((int)SelectorMatch.Types.MatchBehavior.MatchSuperset, Is.EqualTo(2));
            Assert.That((int)SelectorMatch.Types.MatchBehavior.MatchAny, Is.EqualTo(3));
            Assert.That((int)FederatesWithMatch.Types.MatchBehavior.MatchExact, Is.Zero);
            Assert.That((int)FederatesWithMatch.Types.MatchBehavior.MatchSubset, Is.EqualTo(1));
            Assert.That((int)FederatesWithMatch.Types.MatchBehavior.MatchSuperset, Is.EqualTo(2));
            Assert.That((int)FederatesWithMatch.Types.MatchBehavior.MatchAny, Is.EqualTo(3));
        }
    }
}
