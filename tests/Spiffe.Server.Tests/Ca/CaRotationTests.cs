using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Ca;

[TestFixture]
public sealed class CaRotationTests
{
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");

    [Test]
    public async Task Initialize_FirstStart_CreatesActiveCaAndJwtKeyAndPublishesThem()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();

        // Act
        var bundle = await ca.BundleAsync();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bundle.X509Authorities.Single().Der, Is.EqualTo(ca.Manager.ActiveX509CA.Certificate.RawData));
            Assert.That(bundle.JwtAuthorities.Single().KeyId, Is.EqualTo(ca.Manager.ActiveJwtKey.Kid));
            Assert.That(ca.Manager.NextX509CA, Is.Null);
            Assert.That(ca.Manager.ActiveX509CA.NotAfter - ca.Manager.ActiveX509CA.NotBefore, Is.EqualTo(TimeSpan.FromHours(1) + CertificateTemplates.Backdate));
        });
    }

    [Test]
    public async Task Rotate_AtHalfLife_PublishesNextCaAndKeyBeforeTheySign()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        var first = ca.Manager.ActiveX509CA;
        var firstKid = ca.Manager.ActiveJwtKey.Kid;

        // Act
        ca.Clock.Advance(TimeSpan.FromMinutes(31));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        var bundle = await ca.BundleAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, [], TimeSpan.Zero);
        var jwt = ca.Signer.SignJwtSvid(Web, ["aud"], TimeSpan.Zero, includeJti: false);

        // Assert
        var next = ca.Manager.NextX509CA;
        Assert.Multiple(() =>
        {
            Assert.That(next, Is.Not.Null);
            Assert.That(ca.Manager.ActiveX509CA.KeyId, Is.EqualTo(first.KeyId));
            Assert.That(bundle.X509Authorities.Select(a => a.Der), Is.EqualTo(new[] { first.Certificate.RawData, next!.Certificate.RawData }));
            Assert.That(bundle.JwtAuthorities.Select(k => k.KeyId), Is.EqualTo(new[] { firstKid, ca.Manager.NextJwtKey!.Kid }));
            Assert.That(svid.Leaf.IssuerName.RawData, Is.EqualTo(first.Certificate.SubjectName.RawData));
            Assert.That(KidOf(jwt.Token), Is.EqualTo(firstKid));
        });
    }

    [Test]
    public async Task Rotate_AtActivationThreshold_SwitchesSigningToThePublishedNextCa()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        var first = ca.Manager.ActiveX509CA;
        ca.Clock.Advance(TimeSpan.FromMinutes(31));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        var next = ca.Manager.NextX509CA!;
        var nextKid = ca.Manager.NextJwtKey!.Kid;
        var bundleBeforeActivation = await ca.BundleAsync();

        // Act
        ca.Clock.Advance(TimeSpan.FromMinutes(20));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, [], TimeSpan.Zero);
        var jwt = ca.Signer.SignJwtSvid(Web, ["aud"], TimeSpan.Zero, includeJti: false);
        var verify = await OpenSsl.VerifyAsync(svid.Leaf, [], bundleBeforeActivation.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Der)), "sslclient", ca.Clock.GetUtcNow());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ca.Manager.ActiveX509CA.KeyId, Is.EqualTo(next.KeyId));
            Assert.That(ca.Manager.Journal.X509.Single(s => s.KeyId == first.KeyId).Status, Is.EqualTo(SlotStatus.Old));
            Assert.That(svid.Leaf.IssuerName.RawData, Is.EqualTo(next.Certificate.SubjectName.RawData));
            Assert.That(KidOf(jwt.Token), Is.EqualTo(nextKid));
            Assert.That(verify.ExitCode, Is.Zero, verify.Output);
        });
    }

    [Test]
    public async Task Rotate_AfterOldCaExpires_PrunesItFromBundleAndJournal()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        var first = ca.Manager.ActiveX509CA;
        ca.Clock.Advance(TimeSpan.FromMinutes(31));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        ca.Clock.Advance(TimeSpan.FromMinutes(20));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();

        // Act
        ca.Clock.Advance(TimeSpan.FromMinutes(10));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        var bundle = await ca.BundleAsync();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(bundle.X509Authorities.Any(a => a.Der.AsSpan().SequenceEqual(first.Certificate.RawData)), Is.False);
            Assert.That(ca.Manager.Journal.X509.Any(s => s.KeyId == first.KeyId), Is.False);
            Assert.That(ca.Keys.GetKey(first.KeyId), Is.Null);
        });
    }

    [Test]
    public async Task SignX509Svid_TtlBeyondCaExpiry_IsCappedAtCaNotAfter()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, [], TimeSpan.FromDays(3));

        // Assert
        Assert.That(svid.Leaf.NotAfter, Is.EqualTo(ca.Manager.ActiveX509CA.Certificate.NotAfter));
    }

    [Test]
    public async Task SignJwtSvid_TtlBeyondKeyExpiry_IsCappedAtKeyNotAfter()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();

        // Act
        var jwt = ca.Signer.SignJwtSvid(Web, ["a"], TimeSpan.FromDays(3), includeJti: false);

        // Assert
        Assert.That(jwt.ExpiresAt.ToUnixTimeSeconds(), Is.EqualTo(ca.Manager.ActiveJwtKey.NotAfter.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task Initialize_MemoryKeyManagerAfterRestart_CreatesNewCaAndKeepsOldRootPublished()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        var first = ca.Manager.ActiveX509CA;
        using var restarted = new CaManager(ca.Config, new MemoryKeyManager(), ca.Store, ca.Store, null, ca.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<CaManager>.Instance);

        // Act
        await restarted.InitializeAsync(CancellationToken.None).DefaultTimeout();
        var bundle = await ca.BundleAsync();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(restarted.ActiveX509CA.KeyId, Is.Not.EqualTo(first.KeyId));
            Assert.That(bundle.X509Authorities, Has.Count.EqualTo(2));
            Assert.That(restarted.Journal.X509.Single(s => s.KeyId == first.KeyId).Status, Is.EqualTo(SlotStatus.Old));
        });
    }

    private static string KidOf(string token)
    {
        var header = System.Text.Json.Nodes.JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[0]))!;
        return header["kid"]!.GetValue<string>();
    }
}
