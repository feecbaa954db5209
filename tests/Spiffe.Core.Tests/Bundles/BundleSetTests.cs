using Spiffe.Testing;

namespace Spiffe.Core.Tests.Bundles;

[TestFixture]
public sealed class BundleSetTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private static readonly TrustDomain OtherOrg = TrustDomain.Parse("other.org");
    private static readonly TrustDomain Missing = TrustDomain.Parse("missing.org");

    [Test]
    public void X509BundleSet_Lookup_FindsBundleByTrustDomain()
    {
        // Arrange
        var example = TestCa.CreateRoot(ExampleOrg, Now).CreateX509Bundle();
        var other = TestCa.CreateRoot(OtherOrg, Now).CreateX509Bundle();
        var set = new X509BundleSet([other, example]);

        // Act
        var found = set.GetX509BundleForTrustDomain(ExampleOrg);

        // Assert
        Assert.That(found, Is.SameAs(example));
        Assert.That(set.Bundles, Is.EqualTo(new[] { example, other }));
        Assert.That(set.TryGetBundle(Missing, out _), Is.False);
    }

    [Test]
    public void X509BundleSet_MissingTrustDomain_ThrowsNotFound()
    {
        // Arrange
        var set = new X509BundleSet([]);

        // Act
        var ex = Assert.Throws<BundleNotFoundException>(() => set.GetX509BundleForTrustDomain(Missing));

        // Assert
        Assert.That(ex, Is.InstanceOf<KeyNotFoundException>());
        Assert.That(ex.Message, Does.Contain("no X.509 bundle for trust domain \"missing.org\""));
    }

    [Test]
    public void X509BundleSet_DuplicateTrustDomain_ThrowsArgument()
    {
        var bundle = new X509Bundle(ExampleOrg, []);
        Assert.Throws<ArgumentException>(() => _ = new X509BundleSet([bundle, new X509Bundle(ExampleOrg, [])]));
    }

    [Test]
    public void JwtBundleSet_Lookup_FindsBundleByTrustDomain()
    {
        // Arrange
        var example = new JwtBundle(ExampleOrg, []);
        var set = new JwtBundleSet([example, new JwtBundle(OtherOrg, [])]);

        // Assert
        Assert.That(set.GetJwtBundleForTrustDomain(ExampleOrg), Is.SameAs(example));
        Assert.That(set.TryGetBundle(OtherOrg, out var other), Is.True);
        Assert.That(other!.TrustDomain, Is.EqualTo(OtherOrg));
    }

    [Test]
    public void JwtBundleSet_MissingTrustDomain_ThrowsNotFound()
    {
        var set = new JwtBundleSet([new JwtBundle(ExampleOrg, [])]);
        var ex = Assert.Throws<BundleNotFoundException>(() => set.GetJwtBundleForTrustDomain(Missing));
        Assert.That(ex.Message, Does.Contain("no JWT bundle"));
    }

    [Test]
    public void JwtBundleSet_DuplicateTrustDomain_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => _ = new JwtBundleSet([new JwtBundle(ExampleOrg, []), new JwtBundle(ExampleOrg, [])]));
    }

    [Test]
    public void SpiffeBundleSet_ServesBothKinds()
    {
        // Arrange
        var ca = TestCa.CreateRoot(ExampleOrg, Now);
        var signer = new TestJwtSigner(ExampleOrg, "k1");
        var bundle = new SpiffeBundle(ExampleOrg, [ca.Certificate], [new("k1", signer.PublicKey)]);
        var set = new SpiffeBundleSet([bundle]);

        // Act
        var x509 = set.GetX509BundleForTrustDomain(ExampleOrg);
        var jwt = set.GetJwtBundleForTrustDomain(ExampleOrg);

        // Assert
        Assert.That(x509.X509Authorities, Has.Count.EqualTo(1));
        Assert.That(jwt.TryGetJwtAuthority("k1", out _), Is.True);
        Assert.That(set.TryGetBundle(ExampleOrg, out var found), Is.True);
        Assert.That(found, Is.SameAs(bundle));
    }

    [Test]
    public void SpiffeBundleSet_MissingTrustDomain_ThrowsNotFound()
    {
        var set = new SpiffeBundleSet([]);
        Assert.Throws<BundleNotFoundException>(() => set.GetX509BundleForTrustDomain(Missing));
        Assert.Throws<BundleNotFoundException>(() => set.GetJwtBundleForTrustDomain(Missing));
    }

    [Test]
    public void SpiffeBundleSet_DuplicateTrustDomain_ThrowsArgument()
    {
        var bundle = new SpiffeBundle(ExampleOrg, [], []);
        Assert.Throws<ArgumentException>(() => _ = new SpiffeBundleSet([bundle, new SpiffeBundle(ExampleOrg, [], [])]));
    }
}
