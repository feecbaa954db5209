using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.ServerApi.Tests.Fakes;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Testing;
using DeniedReason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;
using ProtoBundle = Spiffe.Proto.Spire.Types.Bundle;

namespace Spiffe.Agent.ServerApi.Tests;

[TestFixture]
public sealed class SpireServerClientTests
{
    private const string AgentId = "spiffe://example.org/spire/agent/join_token/abc";

    private FakeSpireApi _api = null!;
    private FakeCallInvoker _invoker = null!;
    private FakeServerChannels _channels = null!;
    private FakeTimeProvider _time = null!;
    private SpireServerClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _api = new FakeSpireApi();
        _invoker = new FakeCallInvoker();
        _channels = new FakeServerChannels(_invoker);
        _time = new FakeTimeProvider(FakeSpireApi.Now);
        _client = CreateClient(new AgentOptions { TrustDomain = FakeSpireApi.TrustDomain });
        _invoker.OnUnary<GetBundleRequest, ProtoBundle>(FakeSpireApi.GetBundle, _ => _api.Bundle());
    }

    [Test]
    public async Task AttestAgentAsync_JoinToken_SendsTheTokenAndAnAgentCsrThenFetchesTheBundle()
    {
        // Arrange
        AttestAgentRequest? first = null;
        _invoker.OnDuplex<AttestAgentRequest, AttestAgentResponse>(FakeSpireApi.AttestAgent, async (requests, responses) =>
        {
            first = await requests.ReadAsync();
            await responses.WriteAsync(_api.Result(first.Params.Params_, AgentId, reattestable: false));
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var result = await _client.AttestAgentAsync(new JoinTokenAttestation("abc"), key, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(first!.Params.Data.Type, Is.EqualTo("join_token"));
        Assert.That(first.Params.Data.Payload.ToStringUtf8(), Is.EqualTo("abc"));
        Assert.That(FakeSpireApi.CsrPublicKey(first.Params.Params_.Csr).ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        Assert.That(result.Reattestable, Is.False);
        Assert.That(new PublicKey(key).ExportSubjectPublicKeyInfo(), Is.EqualTo(result.SvidChain[0].PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.That(result.Bundle.X509.X509Authorities.Single().Thumbprint, Is.EqualTo(_api.Ca.RootCertificate.Thumbprint));
        Assert.That(result.Bundle.Jwt.JwtAuthorities.Keys, Is.EqualTo(new[] { "jwt-1" }));
        Assert.That(result.Bundle.SequenceNumber, Is.EqualTo(3));
        Assert.That(_invoker.Calls, Is.EqualTo(new[] { FakeSpireApi.AttestAgent, FakeSpireApi.GetBundle }));
        Assert.That(_channels.AttestationChannelsOpened, Is.EqualTo(1));
    }

    [Test]
    public async Task AttestAgentAsync_X509PopWithTwoChallenges_AnswersEachLikeGo()
    {
        // Arrange
        var popCa = TestCa.CreateRoot(TrustDomain.Parse("pop.example"), FakeSpireApi.Now);
        var node = popCa.IssueX509Svid(SpiffeId.Parse("spiffe://pop.example/node"));
        var verified = new List<bool>();
        _invoker.OnDuplex<AttestAgentRequest, AttestAgentResponse>(FakeSpireApi.AttestAgent, async (requests, responses) =>
        {
            var first = await requests.ReadAsync();
            using var payload = JsonDocument.Parse(first.Params.Data.Payload.Memory);
            var leaf = X509CertificateLoader.LoadCertificate(payload.RootElement.GetProperty("certificates")[0].GetBytesFromBase64());
            for (var round = 0; round < 2; round++)
            {
                var nonce = RandomNumberGenerator.GetBytes(32);
                var challenge = "{\"rsa_signature\":null,\"ecdsa_signature\":{\"nonce\":\"" + Convert.ToBase64String(nonce) + "\"}}";
                await responses.WriteAsync(new AttestAgentResponse { Challenge = ByteString.CopyFromUtf8(challenge) });
                var answer = await requests.ReadAsync();
                verified.Add(FakeSpireApi.VerifyX509PopEcdsa(leaf.PublicKey, nonce, answer.ChallengeResponse.ToByteArray()));
            }

            await responses.WriteAsync(_api.Result(first.Params.Params_, "spiffe://example.org/spire/agent/x509pop/abc", reattestable: true));
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var result = await _client.AttestAgentAsync(new X509PopAttestation(node.Certificates, node.PrivateKey), key, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(verified, Is.EqualTo(new[] { true, true }));
        Assert.That(result.Reattestable, Is.True);
    }

    [Test]
    public void AttestAgentAsync_ChallengeToAJoinToken_FailsAsAServerError()
    {
        // Arrange
        _invoker.OnDuplex<AttestAgentRequest, AttestAgentResponse>(FakeSpireApi.AttestAgent, async (requests, responses) =>
        {
            await requests.ReadAsync();
            await responses.WriteAsync(new AttestAgentResponse { Challenge = ByteString.CopyFromUtf8("{}") });
            await requests.ReadAsync();
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _client.AttestAgentAsync(new JoinTokenAttestation("abc"), key, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.Internal));
    }

    [Test]
    public void AttestAgentAsync_Banned_ThrowsTypedPermissionDenied()
    {
        // Arrange
        _invoker.OnDuplex<AttestAgentRequest, AttestAgentResponse>(FakeSpireApi.AttestAgent, async (requests, _) =>
        {
            await requests.ReadAsync();
            throw FakeSpireApi.Denied(DeniedReason.AgentBanned);
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _client.AttestAgentAsync(new JoinTokenAttestation("abc"), key, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.IsBanned, Is.True);
    }

    [Test]
    public void RenewAgentAsync_ReattestableAgent_ThrowsMustReattest()
    {
        // Arrange
        _invoker.OnUnary<RenewAgentRequest, RenewAgentResponse>(FakeSpireApi.RenewAgent, _ => throw FakeSpireApi.Denied(DeniedReason.AgentMustReattest));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _client.RenewAgentAsync(key, CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.Reason, Is.EqualTo(PermissionDeniedReason.AgentMustReattest));
        Assert.That(error.ShouldReattest, Is.True);
    }

    [Test]
    public async Task BatchNewX509SvidAsync_1200Requests_SplitsIntoCallsOfAtMost500AndMapsPerItemStatus()
    {
        // Arrange
        var batchSizes = new List<int>();
        _invoker.OnUnary<BatchNewX509SVIDRequest, BatchNewX509SVIDResponse>(FakeSpireApi.BatchNewX509Svid, request =>
        {
            batchSizes.Add(request.Params.Count);
            var response = new BatchNewX509SVIDResponse();
            foreach (var item in request.Params)
            {
                response.Results.Add(item.EntryId == "e-0007"
                    ? new BatchNewX509SVIDResponse.Types.Result { Status = new Spiffe.Proto.Spire.Types.Status { Code = 5, Message = "entry not found or not authorized" } }
                    : new BatchNewX509SVIDResponse.Types.Result
                    {
                        Status = new Spiffe.Proto.Spire.Types.Status(),
                        Svid = _api.Sign("spiffe://example.org/" + item.EntryId, FakeSpireApi.CsrPublicKey(item.Csr)),
                    });
            }

            return response;
        });
        var keys = Enumerable.Range(0, 1200).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP256)).ToList();
        var requests = keys.Select((k, i) => new X509SvidMintRequest($"e-{i:D4}", SpiffeId.Parse($"spiffe://example.org/e-{i:D4}"), k)).ToList();

        // Act
        var results = await _client.BatchNewX509SvidAsync(requests, CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(batchSizes, Is.EqualTo(new[] { 500, 500, 200 }));
        Assert.That(results.Select(r => r.EntryId), Is.EqualTo(requests.Select(r => r.EntryId)));
        Assert.That(results[7].Chain, Is.Null);
        Assert.That(results[7].Error, Is.EqualTo("NotFound: entry not found or not authorized"));
        Assert.That(results[1199].Chain![0].PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(keys[1199].ExportSubjectPublicKeyInfo()));
        keys.ForEach(k => k.Dispose());
    }

    [Test]
    public async Task GetFederatedBundleAsync_AsksByBareNameAndTreatsNotFoundAsNone()
    {
        // Arrange
        var partner = TrustDomain.Parse("partner.org");
        var partnerCa = TestCa.CreateRoot(partner, FakeSpireApi.Now);
        var asked = new List<string>();
        _invoker.OnUnary<GetFederatedBundleRequest, ProtoBundle>(FakeSpireApi.GetFederatedBundle, request =>
        {
            asked.Add(request.TrustDomain);
            return request.TrustDomain == "partner.org"
                ? new ProtoBundle { TrustDomain = "partner.org", X509Authorities = { new Spiffe.Proto.Spire.Types.X509Certificate { Asn1 = ByteString.CopyFrom(partnerCa.RootCertificate.RawData) } } }
                : throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "bundle not found"));
        });

        // Act
        var found = await _client.GetFederatedBundleAsync(partner, CancellationToken.None).DefaultTimeout();
        var missing = await _client.GetFederatedBundleAsync(TrustDomain.Parse("missing.org"), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(asked, Is.EqualTo(new[] { "partner.org", "missing.org" }));
        Assert.That(found!.TrustDomain, Is.EqualTo(partner));
        Assert.That(found.Jwt.JwtAuthorities, Is.Empty);
        Assert.That(missing, Is.Null);
    }

    [Test]
    public void GetBundleAsync_BundleOfAnotherTrustDomain_IsAServerError()
    {
        // Arrange
        _invoker.OnUnary<GetBundleRequest, ProtoBundle>(FakeSpireApi.GetBundle, _ => new ProtoBundle { TrustDomain = "evil.org" });

        // Act
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _client.GetBundleAsync(CancellationToken.None).DefaultTimeout());

        // Assert
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.Internal));
    }

    [Test]
    public async Task GetAuthorizedEntriesAsync_SyncUnimplemented_FallsBackToTheUnaryCallFromThenOn()
    {
        // Arrange
        _invoker.OnUnary<GetAuthorizedEntriesRequest, GetAuthorizedEntriesResponse>(FakeSpireApi.GetAuthorizedEntries, request =>
        {
            Assert.That(request.OutputMask.RevisionNumber, Is.True);
            return new GetAuthorizedEntriesResponse { Entries = { Mapping.EntryMapperTests.ValidEntry() } };
        });

        // Act
        var first = await _client.GetAuthorizedEntriesAsync(new Dictionary<string, Spiffe.Agent.Core.Workload.RegistrationEntry>(), CancellationToken.None).DefaultTimeout();
        var second = await _client.GetAuthorizedEntriesAsync(new Dictionary<string, Spiffe.Agent.Core.Workload.RegistrationEntry>(), CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(first.Single().Id, Is.EqualTo("e1"));
        Assert.That(second.Single().Id, Is.EqualTo("e1"));
        Assert.That(_invoker.Calls, Is.EqualTo(new[] { FakeSpireApi.SyncAuthorizedEntries, FakeSpireApi.GetAuthorizedEntries, FakeSpireApi.GetAuthorizedEntries }));
    }

    [Test]
    public async Task NewJwtSvidAsync_MapsTheTokenAndTimes()
    {
        // Arrange
        NewJWTSVIDRequest? seen = null;
        _invoker.OnUnary<NewJWTSVIDRequest, NewJWTSVIDResponse>(FakeSpireApi.NewJwtSvid, request =>
        {
            seen = request;
            return new NewJWTSVIDResponse
            {
                Svid = new JWTSVID { Token = "a.b.c", Id = new SPIFFEID { TrustDomain = "example.org", Path = "/web" }, IssuedAt = 1_700_000_000, ExpiresAt = 1_700_000_300 },
            };
        });
        var entry = new Spiffe.Agent.Core.Workload.RegistrationEntry
        {
            Id = "e1",
            SpiffeId = SpiffeId.Parse("spiffe://example.org/web"),
            Selectors = Spiffe.Agent.Core.Attestation.SelectorSet.Empty,
            Hint = "web",
        };

        // Act
        var svid = await _client.NewJwtSvidAsync(entry, ["a", "b"], CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(seen!.EntryId, Is.EqualTo("e1"));
        Assert.That(seen.Audience, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(svid, Is.EqualTo(new Spiffe.Agent.Core.Workload.IssuedJwtSvid(
            "e1", entry.SpiffeId, "a.b.c", "web", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), DateTimeOffset.FromUnixTimeSeconds(1_700_000_300))));
        Assert.That(svid.ToString(), Does.Not.Contain("a.b.c"));
    }

    [Test]
    public void NewJwtSvidAsync_IssuedAfterExpiry_IsAServerError()
    {
        // Arrange
        _invoker.OnUnary<NewJWTSVIDRequest, NewJWTSVIDResponse>(FakeSpireApi.NewJwtSvid, _ => new NewJWTSVIDResponse
        {
            Svid = new JWTSVID { Token = "a.b.c", Id = new SPIFFEID { TrustDomain = "example.org", Path = "/web" }, IssuedAt = 20, ExpiresAt = 10 },
        });
        var entry = new Spiffe.Agent.Core.Workload.RegistrationEntry { Id = "e1", SpiffeId = SpiffeId.Parse("spiffe://example.org/web"), Selectors = Spiffe.Agent.Core.Attestation.SelectorSet.Empty };

        // Act + Assert
        var error = Assert.ThrowsAsync<SpireServerException>(async () => await _client.NewJwtSvidAsync(entry, ["a"], CancellationToken.None).DefaultTimeout());
        Assert.That(error!.StatusCode, Is.EqualTo(ServerStatusCode.Internal));
    }

    [Test]
    public async Task Calls_CarryA30SecondDeadlineFromTheTimeProvider()
    {
        // Arrange
        _invoker.OnUnary<PostStatusRequest, PostStatusResponse>(FakeSpireApi.PostStatus, request =>
        {
            Assert.That(request.AgentVersion, Is.EqualTo("0.1.0"));
            return new PostStatusResponse();
        });

        // Act
        await _client.PostStatusAsync("0.1.0", CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(_invoker.Options.Single().Deadline, Is.EqualTo(FakeSpireApi.Now.UtcDateTime.AddSeconds(30)));
    }

    private SpireServerClient CreateClient(AgentOptions options) =>
        new(options, _channels, _time, NullLogger<SpireServerClient>.Instance);
}
