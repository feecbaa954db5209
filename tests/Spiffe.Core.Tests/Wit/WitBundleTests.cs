using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Wit;

[TestFixture]
public sealed class WitBundleTests
{
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly TrustDomain Partner = TrustDomain.Parse("partner.test");

    private PublicKey ecKey = null!;
    private PublicKey rsaKey = null!;

    [OneTimeSetUp]
    public void CreateKeys()
    {
        this.ecKey = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.EcP256));
        this.rsaKey = TestKeys.PublicKeyOf(TestKeys.Create(TestKeyType.Rsa2048));
    }

    [Test]
    public void Marshal_TwoKeys_WritesWitSvidUseAndKid()
    {
        // Arrange
        var bundle = new WitBundle(Td, [new("k1", this.ecKey), new("k2", this.rsaKey)]);

        // Act
        var keys = JsonNode.Parse(bundle.Marshal())!["keys"]!.AsArray();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(keys, Has.Count.EqualTo(2));
            Assert.That(keys.Select(k => k!["use"]!.GetValue<string>()), Is.All.EqualTo("wit-svid"));
            Assert.That(keys.Select(k => k!["kid"]!.GetValue<string>()), Is.EqualTo(new[] { "k1", "k2" }));
            Assert.That(keys[0]!["kty"]!.GetValue<string>(), Is.EqualTo("EC"));
            Assert.That(keys[1]!["kty"]!.GetValue<string>(), Is.EqualTo("RSA"));
        });
    }

    [Test]
    public void Parse_Marshalled_RoundTrips()
    {
        // Arrange
        var original = new WitBundle(Td, [new("k1", this.ecKey), new("k2", this.rsaKey)]);

        // Act
        var parsed = WitBundle.Parse(Td, original.Marshal());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parsed.TrustDomain, Is.EqualTo(Td));
            Assert.That(parsed.WitAuthorities.Keys, Is.EquivalentTo(new[] { "k1", "k2" }));
            Assert.That(parsed.WitAuthorities["k2"].ExportSubjectPublicKeyInfo(), Is.EqualTo(this.rsaKey.ExportSubjectPublicKeyInfo()));
        });
    }

    [Test]
    public void Parse_TextWithoutUse_Accepted()
    {
        // Arrange
        var json = JsonNode.Parse(new WitBundle(Td, [new("k1", this.ecKey)]).Marshal())!;
        json["keys"]![0]!.AsObject().Remove("use");

        // Act
        var bundle = WitBundle.Parse(Td, json.ToJsonString());

        // Assert
        Assert.That(bundle.TryGetWitAuthority("k1", out var key), Is.True);
        Assert.That(key!.ExportSubjectPublicKeyInfo(), Is.EqualTo(this.ecKey.ExportSubjectPublicKeyInfo()));
    }

    [TestCase("use jwt-svid", "\"use\" must be absent or \"wit-svid\", got \"jwt-svid\"")]
    [TestCase("no kid", "\"kid\" is missing or empty")]
    [TestCase("duplicate kid", "duplicate \"kid\" \"k1\"")]
    [TestCase("private member", "private key member \"d\"")]
    [TestCase("no keys", "\"keys\" array")]
    public void Parse_Malformed_Throws(string variant, string expected)
    {
        // Arrange
        var json = JsonNode.Parse(new WitBundle(Td, [new("k1", this.ecKey), new("k2", this.rsaKey)]).Marshal())!;
        var second = json["keys"]![1]!.AsObject();
        switch (variant)
        {
            case "use jwt-svid":
                second["use"] = "jwt-svid";
                break;
            case "no kid":
                second.Remove("kid");
                break;
            case "duplicate kid":
                second["kid"] = "k1";
                break;
            case "private member":
                second["d"] = "AQAB";
                break;
            default:
                json.AsObject().Remove("keys");
                break;
        }

        // Act
        var ex = Assert.Throws<BundleException>(() => WitBundle.Parse(Td, Encoding.UTF8.GetBytes(json.ToJsonString())));

        // Assert
        Assert.That(ex.Message, Does.StartWith("cannot parse WIT bundle").And.Contain(expected));
    }

    [Test]
    public void Constructor_DuplicateOrEmptyKid_Throws()
    {
        // Act + Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new WitBundle(Td, [new("k1", this.ecKey), new("k1", this.rsaKey)]), Throws.ArgumentException.With.Message.Contains("duplicate key ID"));
            Assert.That(() => new WitBundle(Td, [new("", this.ecKey)]), Throws.ArgumentException.With.Message.Contains("empty key ID"));
            Assert.That(() => new WitBundle(default, []), Throws.ArgumentException.With.Message.Contains("zero value"));
        });
    }

    [Test]
    public void GetWitBundleForTrustDomain_OtherTrustDomain_ThrowsNotFound()
    {
        // Arrange
        var bundle = new WitBundle(Td, [new("k1", this.ecKey)]);

        // Act
        var ex = Assert.Throws<BundleNotFoundException>(() => bundle.GetWitBundleForTrustDomain(Partner));

        // Assert
        Assert.That(ex.Message, Does.Contain("no WIT bundle for trust domain \"partner.test\""));
    }

    [Test]
    public void BundleSet_TwoTrustDomains_ServesEachAndRefusesOthers()
    {
        // Arrange
        var own = new WitBundle(Td, [new("k1", this.ecKey)]);
        var partner = new WitBundle(Partner, [new("k2", this.rsaKey)]);
        var set = new WitBundleSet([partner, own]);

        // Act
        var found = set.GetWitBundleForTrustDomain(Partner);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(found, Is.SameAs(partner));
            Assert.That(set.Bundles, Is.EqualTo(new[] { own, partner }));
            Assert.That(set.TryGetBundle(TrustDomain.Parse("other.test"), out _), Is.False);
            Assert.That(() => set.GetWitBundleForTrustDomain(TrustDomain.Parse("other.test")), Throws.InstanceOf<BundleNotFoundException>());
            Assert.That(() => new WitBundleSet([own, own]), Throws.ArgumentException);
        });
    }

    [Test]
    public void SpiffeBundleParse_WitSvidKeys_ExposedAsWitAuthoritiesOnly()
    {
        // Arrange
        var json = $$"""
            {"keys":[
              {{Key("jwt-svid", "j1", this.ecKey)}},
              {{Key("wit-svid", "w1", this.rsaKey)}},
              {{Key("other", "o1", this.ecKey)}}
            ]}
            """;

        // Act
        var bundle = SpiffeBundle.Parse(Td, Encoding.UTF8.GetBytes(json));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bundle.JwtAuthorities.Keys, Is.EqualTo(new[] { "j1" }));
            Assert.That(bundle.WitAuthorities.Keys, Is.EqualTo(new[] { "w1" }));
            Assert.That(bundle.TryGetWitAuthority("j1", out _), Is.False);
            Assert.That(bundle.ToWitBundle().WitAuthorities.Keys, Is.EqualTo(new[] { "w1" }));
            Assert.That(bundle.GetWitBundleForTrustDomain(Td).TryGetWitAuthority("w1", out _), Is.True);
            Assert.That(() => bundle.GetWitBundleForTrustDomain(Partner), Throws.InstanceOf<BundleNotFoundException>());
        });
    }

    [Test]
    public void SpiffeBundleParse_KidSharedByJwtAndWitKeys_Throws()
    {
        // Arrange
        var json = $$"""{"keys":[{{Key("jwt-svid", "k1", this.ecKey)}},{{Key("wit-svid", "k1", this.rsaKey)}}]}""";

        // Act
        var ex = Assert.Throws<BundleException>(() => SpiffeBundle.Parse(Td, Encoding.UTF8.GetBytes(json)));

        // Assert
        Assert.That(ex.Message, Does.Contain("key 1: duplicate \"kid\" \"k1\""));
    }

    [Test]
    public void SpiffeBundleConstructor_KidSharedByJwtAndWitAuthorities_Throws()
    {
        // Act + Assert
        Assert.That(
            () => new SpiffeBundle(Td, [], [new("k1", this.ecKey)], [new("k1", this.rsaKey)]),
            Throws.ArgumentException.With.Message.Contains("names both a JWT and a WIT authority"));
    }

    [Test]
    public void SpiffeBundleMarshal_WitAuthorities_RoundTripAsWitSvidKeys()
    {
        // Arrange
        var original = new SpiffeBundle(Td, [], [new("j1", this.ecKey)], [new("w1", this.rsaKey)]) { SequenceNumber = 3 };

        // Act
        var marshalled = original.Marshal();
        var parsed = SpiffeBundle.Parse(Td, marshalled);

        // Assert
        var keys = JsonNode.Parse(marshalled)!["keys"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(k => k!["use"]!.GetValue<string>()), Is.EqualTo(new[] { "jwt-svid", "wit-svid" }));
            Assert.That(parsed.JwtAuthorities.Keys, Is.EqualTo(new[] { "j1" }));
            Assert.That(parsed.WitAuthorities.Keys, Is.EqualTo(new[] { "w1" }));
            Assert.That(new SpiffeBundle(Td, [], []).WitAuthorities, Is.Empty);
        });
    }

    private static string Key(string use, string kid, PublicKey key)
    {
        var jwk = JsonNode.Parse(new WitBundle(Td, [new(kid, key)]).Marshal())!["keys"]![0]!.AsObject();
        jwk["use"] = use;
        return jwk.ToJsonString();
    }
}
