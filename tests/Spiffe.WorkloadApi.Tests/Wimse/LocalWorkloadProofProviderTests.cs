using Microsoft.Extensions.Time.Testing;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.WorkloadApi.Tests.Wimse;

[TestFixture]
public sealed class LocalWorkloadProofProviderTests
{
    private const string Target = "https://tool.example/items";

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    private TestWitIssuer issuer = null!;
    private TestWit wit = null!;
    private WitSvid svid = null!;

    [OneTimeSetUp]
    public void IssueWit()
    {
        this.issuer = new TestWitIssuer(Td);
        this.wit = this.issuer.Issue(Caller, Start, lifetime: TimeSpan.FromHours(1));
        this.svid = WitSvid.ParseInsecure(this.wit.Token, Start);
    }

    [Test]
    public async Task CreateProofAsync_Request_ProofVerifiesWithConfiguredLifetime()
    {
        // Arrange
        var clock = new FakeTimeProvider(Start);
        var provider = new LocalWorkloadProofProvider(this.svid, this.wit.Key, clock) { Lifetime = TimeSpan.FromSeconds(20) };

        // Act
        var proof = await provider.CreateProofAsync(Request(), CancellationToken.None).DefaultTimeout();

        // Assert
        var result = new WorkloadProofVerifier(this.issuer.CreateWitBundle(), new InMemoryWptReplayCache())
            .Verify(proof.Wit, proof.Proof, new WorkloadProofContext { Audience = Target, AccessToken = "access-1" }, Start);
        Assert.Multiple(() =>
        {
            Assert.That(proof.Wit, Is.EqualTo(this.wit.Token));
            Assert.That(proof.SpiffeId, Is.EqualTo(Caller));
            Assert.That(proof.ExpiresAt, Is.EqualTo(Start.AddSeconds(20)));
            Assert.That(result.ProofExpiry, Is.EqualTo(Start.AddSeconds(20)));
        });
    }

    [Test]
    public void CreateProofAsync_WitExpired_Throws()
    {
        // Arrange
        var clock = new FakeTimeProvider(Start);
        var provider = new LocalWorkloadProofProvider(this.svid, this.wit.Key, clock);
        clock.Advance(TimeSpan.FromHours(1));

        // Act
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => provider.CreateProofAsync(Request(), CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(ex.Message, Does.Contain("expired"));
    }

    [Test]
    public void Constructor_KeyOfAnotherWit_Throws()
    {
        // Arrange
        var other = this.issuer.Issue(Caller, Start);

        // Act + Assert
        Assert.That(() => new LocalWorkloadProofProvider(this.svid, other.Key), Throws.ArgumentException.With.Message.Contains("cnf.jwk"));
    }

    [TestCase(0)]
    [TestCase(301)]
    public void Lifetime_OutOfRange_Throws(int seconds)
    {
        // Act + Assert
        Assert.That(
            () => new LocalWorkloadProofProvider(this.svid, this.wit.Key) { Lifetime = TimeSpan.FromSeconds(seconds) },
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    private static WorkloadProofRequest Request() => new() { TargetUri = Target, Method = "GET", AccessToken = "access-1" };
}
