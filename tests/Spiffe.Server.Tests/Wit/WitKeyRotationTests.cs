using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.DataStore;
using Spiffe.Server.Tests.Ca;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Wit;

/// <summary>
/// WIT signing keys follow the JWT keys' schedule with a fake clock: the next key is prepared and published at
/// half-life, before it signs anything; it takes over at the activation threshold; keys survive a restart.
/// </summary>
[TestFixture]
public sealed class WitKeyRotationTests
{
    private static readonly SpiffeId Tool = SpiffeId.Parse("spiffe://example.org/agent/a/task/t1");

    [Test]
    public async Task Rotate_WitKey_IsPublishedBeforeItSignsAndThenTakesOver()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync(c => c with { FeatureFlags = ["wit-svid"] });
        using var workload = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var confirmation = WitConfirmationKey.Create(new PublicKey(workload), "ES256");
        var first = ca.Manager.ActiveWitKey!;

        // Act
        ca.Clock.Advance(TimeSpan.FromMinutes(31));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        var prepared = ca.Manager.Journal.Wit.Single(s => s.Status == SlotStatus.Prepared);
        var atHalfLife = await ca.BundleAsync();
        var halfLifeWit = WitSvid.ParseAndValidate(ca.Signer.SignWitSvid(Tool, confirmation, TimeSpan.Zero).Token, WitBundleOf(atHalfLife), ca.Clock.GetUtcNow());
        ca.Clock.Advance(TimeSpan.FromMinutes(20));
        await ca.Manager.RotateAsync(CancellationToken.None).DefaultTimeout();
        var afterActivation = await ca.BundleAsync();
        var activatedWit = WitSvid.ParseAndValidate(ca.Signer.SignWitSvid(Tool, confirmation, TimeSpan.Zero).Token, WitBundleOf(atHalfLife), ca.Clock.GetUtcNow());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(atHalfLife.WitAuthorities.Select(k => k.KeyId), Is.EqualTo(new[] { first.Kid, prepared.Kid }));
            Assert.That(halfLifeWit.KeyId, Is.EqualTo(first.Kid));
            Assert.That(ca.Manager.ActiveWitKey!.Kid, Is.EqualTo(prepared.Kid));
            Assert.That(activatedWit.KeyId, Is.EqualTo(prepared.Kid));
            Assert.That(afterActivation.WitAuthorities.Select(k => k.KeyId), Is.EqualTo(new[] { first.Kid, prepared.Kid }));
            Assert.That(atHalfLife.JwtAuthorities.Select(k => k.KeyId).Intersect(atHalfLife.WitAuthorities.Select(k => k.KeyId)), Is.Empty);
        });
    }

    [Test]
    public async Task SignWitSvid_TtlBeyondKeyExpiry_IsCappedAtKeyNotAfter()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync(c => c with { FeatureFlags = ["wit-svid"] });
        using var workload = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = ca.Manager.ActiveWitKey!;

        // Act
        var wit = ca.Signer.SignWitSvid(Tool, WitConfirmationKey.Create(new PublicKey(workload), "ES256"), TimeSpan.FromDays(3));

        // Assert
        Assert.That(wit.ExpiresAt.ToUnixTimeSeconds(), Is.EqualTo(key.NotAfter.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task Initialize_Restart_KeepsTheWitKeyAndItsKid()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync(c => c with { FeatureFlags = ["wit-svid"] });
        var kid = ca.Manager.ActiveWitKey!.Kid;

        // Act
        using var restarted = new CaManager(ca.Config, ca.Keys, ca.Store, ca.Store, null, ca.Clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<CaManager>.Instance);
        await restarted.InitializeAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(restarted.ActiveWitKey?.Kid, Is.EqualTo(kid));
            Assert.That(restarted.ActiveWitKey?.Key, Is.Not.Null);
        });
    }

    private static WitBundle WitBundleOf(BundleRecord bundle) =>
        new(bundle.TrustDomain, bundle.WitAuthorities.Select(k => KeyValuePair.Create(k.KeyId, PublicKey.CreateFromSubjectPublicKeyInfo(k.PublicKey, out _))));
}
