using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Node;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.ServerApi.Tests.Fakes;
using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.ServerApi.Tests.Integration;

/// <summary>The server client against the real spiffe-server over TCP + TLS.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class ServerApiIntegrationTests
{
    private SpiffeServerProcess _server = null!;
    private X509Bundle _bundle = null!;
    private readonly List<IDisposable> _disposables = [];

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await SpiffeServerProcess.StartAsync();
        _bundle = await _server.BundleAsync();
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public void DisposeClients()
    {
        _disposables.ForEach(d => d.Dispose());
        _disposables.Clear();
    }

    [Test]
    public async Task AttestAgentAsync_JoinToken_ReturnsAnAgentSvidChainingToTheBundle()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        var (client, _) = NewClient(_bundle);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var result = await client.AttestAgentAsync(new JoinTokenAttestation(token), key, CancellationToken.None).DefaultTimeout();

        // Assert
        var verified = X509SvidVerifier.Verify(result.SvidChain, result.Bundle.X509, TimeProvider.System.GetUtcNow());
        Assert.That(verified.Id.ToString(), Is.EqualTo("spiffe://example.org/spire/agent/join_token/" + token));
        Assert.That(result.Reattestable, Is.False);
        Assert.That(result.SvidChain[0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        Assert.That(result.Bundle.X509.X509Authorities.Select(c => c.Thumbprint), Is.EqualTo(_bundle.X509Authorities.Select(c => c.Thumbprint)));
        Assert.That(result.Bundle.Jwt.JwtAuthorities, Is.Not.Empty);
    }

    [Test]
    public async Task AttestAgentAsync_UsedJoinToken_IsRejected()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        await AttestAsync(token);
        var (client, _) = NewClient(_bundle);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await client.AttestAgentAsync(new JoinTokenAttestation(token), key, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.InvalidArgument));
    }

    [Test]
    public async Task AttestAgentAsync_InsecureBootstrap_StillRequiresTheServerIdAndWorks()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        var (client, _) = NewClient(null);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var result = await client.AttestAgentAsync(new JoinTokenAttestation(token), key, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(result.Bundle.X509.X509Authorities.Select(c => c.Thumbprint), Is.EqualTo(_bundle.X509Authorities.Select(c => c.Thumbprint)));
    }

    [Test]
    public async Task AttestAgentAsync_UntrustedServer_FailsBeforeTheTokenIsSent()
    {
        // Arrange
        var token = await _server.GenerateJoinTokenAsync();
        var stranger = TestCa.CreateRoot(SpiffeServerProcess.TrustDomain, TimeProvider.System.GetUtcNow()).CreateX509Bundle();
        var (untrusting, _) = NewClient(stranger);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await untrusting.AttestAgentAsync(new JoinTokenAttestation(token), key, CancellationToken.None).DefaultTimeout());
        var afterwards = await AttestAsync(token);

        // Assert: the TLS handshake failed, so the token was not consumed
        Assert.That(error!.StatusCode, Is.AnyOf(ServerStatusCode.Unavailable, ServerStatusCode.Unknown, ServerStatusCode.Internal));
        Assert.That(afterwards.Svid.Id.ToString(), Does.EndWith("/" + token));
    }

    [Test]
    public async Task AttestAgentAsync_X509Pop_IsReattestableAndRenewalMustReattest()
    {
        // Arrange
        var node = _server.PopCa.IssueX509Svid(SpiffeId.Parse("spiffe://nodes.example/node-1"), new TestCertificateOptions
        {
            NotBefore = TimeProvider.System.GetUtcNow().AddMinutes(-1),
            NotAfter = TimeProvider.System.GetUtcNow().AddHours(2),
        });
        var attestation = new X509PopAttestation(node.Certificates, node.PrivateKey);
        var (client, credentials) = NewClient(_bundle);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var result = await client.AttestAgentAsync(attestation, key, CancellationToken.None).DefaultTimeout();
        credentials.AgentSvid = ToSvid(result.SvidChain, key);
        using var renewKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var renewal = Assert.ThrowsAsync<SpireServerException>(async () => await client.RenewAgentAsync(renewKey, CancellationToken.None).DefaultTimeout());
        using var againKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var again = await client.AttestAgentAsync(attestation, againKey, CancellationToken.None).DefaultTimeout();

        // Assert
        var fingerprint = node.Leaf.Thumbprint.ToLowerInvariant();
        Assert.That(credentials.AgentSvid.Id.ToString(), Is.EqualTo("spiffe://example.org/spire/agent/x509pop/" + fingerprint));
        Assert.That(result.Reattestable, Is.True);
        Assert.That(renewal!.Reason, Is.EqualTo(PermissionDeniedReason.AgentMustReattest));
        Assert.That(renewal.ShouldReattest, Is.True);
        Assert.That(again.SvidChain[0].SerialNumber, Is.Not.EqualTo(result.SvidChain[0].SerialNumber));
    }

    [Test]
    public async Task GetAuthorizedEntriesAsync_MoreThanAPage_SyncsAndThenDiffsByRevision()
    {
        // Arrange
        var agent = await AttestAsync(await _server.GenerateJoinTokenAsync());
        var prefix = "sync-" + Guid.NewGuid().ToString("N")[..8];
        await _server.CreateEntriesAsync(EntriesJson(agent.Svid.Id, prefix, 1203));

        // Act
        var first = await agent.Client.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout();
        var cached = first.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var second = await agent.Client.GetAuthorizedEntriesAsync(cached, CancellationToken.None).DefaultTimeout();
        await _server.RunCliAsync(
            "entry", "update", "-entryID", EntryId(prefix, 7), "-spiffeID", WorkloadId(prefix, 7), "-parentID", agent.Svid.Id.ToString(),
            "-selector", "unix:uid:7", "-hint", "changed");
        await _server.RunCliAsync("entry", "delete", "-entryID", EntryId(prefix, 8));
        var third = await agent.Client.GetAuthorizedEntriesAsync(second.ToDictionary(e => e.Id, StringComparer.Ordinal), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(first, Has.Count.EqualTo(1203));
        Assert.That(first.Select(e => e.Id), Is.EqualTo(Enumerable.Range(0, 1203).Select(i => EntryId(prefix, i))));
        Assert.That(first[5].SpiffeId.ToString(), Is.EqualTo(WorkloadId(prefix, 5)));
        Assert.That(first[5].Selectors.ToString(), Is.EqualTo("unix:uid:5"));
        Assert.That(second.Zip(first).All(pair => ReferenceEquals(pair.First, pair.Second)), Is.True, "unchanged entries are not re-sent");
        Assert.That(third, Has.Count.EqualTo(1202));
        Assert.That(third.Any(e => e.Id == EntryId(prefix, 8)), Is.False);
        var updated = third.Single(e => e.Id == EntryId(prefix, 7));
        Assert.That(updated.Hint, Is.EqualTo("changed"));
        Assert.That(updated.RevisionNumber, Is.GreaterThan(first[7].RevisionNumber));
        Assert.That(third.Count(e => !cached.TryGetValue(e.Id, out var old) || !ReferenceEquals(old, e)), Is.EqualTo(1));
    }

    [Test]
    public async Task BatchNewX509SvidAsync_MoreThan500_SignsEveryEntry()
    {
        // Arrange
        var agent = await AttestAsync(await _server.GenerateJoinTokenAsync());
        var prefix = "mint-" + Guid.NewGuid().ToString("N")[..8];
        await _server.CreateEntriesAsync(EntriesJson(agent.Svid.Id, prefix, 501));
        var entries = await agent.Client.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout();
        var requests = entries.Select(e => new X509SvidMintRequest(e.Id, e.SpiffeId, ECDsa.Create(ECCurve.NamedCurves.nistP256))).ToList();
        requests.Add(new X509SvidMintRequest("no-such-entry", SpiffeId.Parse("spiffe://example.org/nope"), ECDsa.Create(ECCurve.NamedCurves.nistP256)));

        // Act
        var results = await agent.Client.BatchNewX509SvidAsync(requests, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(results, Has.Count.EqualTo(502));
        Assert.That(results[501].Chain, Is.Null);
        Assert.That(results[501].Error, Does.StartWith("NotFound"));
        var now = TimeProvider.System.GetUtcNow();
        for (var i = 0; i < 501; i++)
        {
            var verified = X509SvidVerifier.Verify(results[i].Chain!, _bundle, now);
            Assert.That(verified.Id, Is.EqualTo(entries[i].SpiffeId));
            Assert.That(results[i].Chain![0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(requests[i].PrivateKey.ExportSubjectPublicKeyInfo()));
        }

        requests.ForEach(r => r.PrivateKey.Dispose());
    }

    [Test]
    public async Task NewJwtSvidAsync_SignsForTheEntryWithAllAudiences()
    {
        // Arrange
        var agent = await AttestAsync(await _server.GenerateJoinTokenAsync());
        var prefix = "jwt-" + Guid.NewGuid().ToString("N")[..8];
        await _server.CreateEntriesAsync(EntriesJson(agent.Svid.Id, prefix, 1));
        var entry = (await agent.Client.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout()).Single();
        var bundle = await agent.Client.GetBundleAsync(CancellationToken.None).DefaultTimeout();

        // Act
        var svid = await agent.Client.NewJwtSvidAsync(entry, ["api", "db"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(svid.SpiffeId, Is.EqualTo(entry.SpiffeId));
        Assert.That(svid.ExpiresAt - svid.IssuedAt, Is.EqualTo(TimeSpan.FromMinutes(5)));
        var parts = svid.Token.Split('.');
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        Assert.That(payload.RootElement.GetProperty("sub").GetString(), Is.EqualTo(entry.SpiffeId.ToString()));
        Assert.That(payload.RootElement.GetProperty("aud").EnumerateArray().Select(a => a.GetString()), Is.EqualTo(new[] { "api", "db" }));
        Assert.That(bundle.Jwt.TryGetJwtAuthority(header.RootElement.GetProperty("kid").GetString()!, out var publicKey), Is.True);
        using var ecdsa = publicKey!.GetECDsaPublicKey()!;
        Assert.That(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256), Is.True);
    }

    [Test]
    public async Task RenewAgentAsync_NewSvidWorksAndTheOldOneIsNoLongerActive()
    {
        // Arrange
        var agent = await AttestAsync(await _server.GenerateJoinTokenAsync());
        await agent.Client.PostStatusAsync("it-1.0", CancellationToken.None).DefaultTimeout();
        var oldSvid = agent.Svid;
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var chain = await agent.Client.RenewAgentAsync(newKey, CancellationToken.None).DefaultTimeout();
        agent.Credentials.AgentSvid = ToSvid(chain, newKey);
        await agent.Client.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout();
        var (stale, staleCredentials) = NewClient(_bundle);
        staleCredentials.AgentSvid = oldSvid;
        var error = Assert.ThrowsAsync<SpireServerException>(async () =>
            await stale.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(agent.Credentials.AgentSvid.Id, Is.EqualTo(oldSvid.Id));
        Assert.That(chain[0].SerialNumber, Is.Not.EqualTo(oldSvid.Certificates[0].SerialNumber));
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.PermissionDenied));
        Assert.That(error.ShouldReattest, Is.True);
    }

    [Test]
    public async Task AnyCall_AfterTheAgentIsBanned_IsTypedAsBanned()
    {
        // Arrange
        var agent = await AttestAsync(await _server.GenerateJoinTokenAsync());
        await agent.Client.GetBundleAsync(CancellationToken.None).DefaultTimeout();

        // Act
        await _server.RunCliAsync("agent", "ban", "-spiffeID", agent.Svid.Id.ToString());
        var error = Assert.ThrowsAsync<SpireServerException>(async () =>
            await agent.Client.GetAuthorizedEntriesAsync(new Dictionary<string, RegistrationEntry>(), CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.IsBanned, Is.True);
        Assert.That(error.Reason, Is.EqualTo(PermissionDeniedReason.AgentBanned));
    }

    private static string EntryId(string prefix, int i) => $"{prefix}-{i.ToString("D4", CultureInfo.InvariantCulture)}";

    private static string WorkloadId(string prefix, int i) => $"spiffe://example.org/{prefix}/w{i.ToString(CultureInfo.InvariantCulture)}";

    private static string EntriesJson(SpiffeId parent, string prefix, int count)
    {
        var entries = Enumerable.Range(0, count).Select(i => new Dictionary<string, object>
        {
            ["entry_id"] = EntryId(prefix, i),
            ["spiffe_id"] = WorkloadId(prefix, i),
            ["parent_id"] = parent.ToString(),
            ["selectors"] = new[] { new Dictionary<string, string> { ["type"] = "unix", ["value"] = "uid:" + i.ToString(CultureInfo.InvariantCulture) } },
        });
        return JsonSerializer.Serialize(new { entries });
    }

    private static X509Svid ToSvid(IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> chain, ECDsa key) =>
        X509Svid.ParseRaw(chain.SelectMany(c => c.RawData).ToArray(), key.ExportPkcs8PrivateKey());

    private (SpireServerClient Client, AgentCredentials Credentials) NewClient(X509Bundle? trust)
    {
        var options = new AgentOptions
        {
            TrustDomain = SpiffeServerProcess.TrustDomain,
            ServerAddress = "127.0.0.1",
            ServerPort = _server.Port,
        };
        var credentials = new AgentCredentials { ServerTrustBundle = trust };
        var channels = new ServerChannels(options, credentials, TimeProvider.System, NullLogger<ServerChannels>.Instance);
        _disposables.Add(channels);
        return (new SpireServerClient(options, channels, TimeProvider.System, NullLogger<SpireServerClient>.Instance), credentials);
    }

    private async Task<AttestedAgent> AttestAsync(string token)
    {
        var (client, credentials) = NewClient(_bundle);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await client.AttestAgentAsync(new JoinTokenAttestation(token), key, CancellationToken.None).DefaultTimeout();
        credentials.AgentSvid = ToSvid(result.SvidChain, key);
        credentials.ServerTrustBundle = result.Bundle.X509;
        return new AttestedAgent(client, credentials);
    }

    private sealed record AttestedAgent(SpireServerClient Client, AgentCredentials Credentials)
    {
        public X509Svid Svid => Credentials.AgentSvid!;
    }
}
