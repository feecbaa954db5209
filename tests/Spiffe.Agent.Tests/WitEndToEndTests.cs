using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spiffe.Agent.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.WorkloadApi;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Tests;

/// <summary>
/// Proof of possession end to end: the real spiffe-server (with the <c>wit-svid</c> feature flag) signs WIT-SVIDs for
/// the real spiffe-agent, which serves them, its WIT bundle and the signing oracle; this process (uid 0, entry
/// <c>/test-runner</c>, whose WITs live 20 s) is the workload, using the public client library.
/// </summary>
[TestFixture]
[NonParallelizable]
[SupportedOSPlatform("linux")]
public sealed class WitEndToEndTests
{
    private const string Domain = "spiffe://example.org";
    private const string Target = "https://tool.example/items";
    private static readonly Method<WITBundlesRequest, WITBundlesResponse> FetchWitBundlesMethod = new(
        MethodType.ServerStreaming,
        "SpiffeWorkloadAPI",
        "FetchWITBundles",
        Marshallers.Create(m => m.ToByteArray(), WITBundlesRequest.Parser.ParseFrom),
        Marshallers.Create(m => m.ToByteArray(), WITBundlesResponse.Parser.ParseFrom));

    private TestDirectory _directory = null!;
    private ServerProcess _server = null!;
    private AgentProcess _agent = null!;
    private WorkloadApiClient _client = null!;

    [OneTimeSetUp]
    public async Task StartStackAsync()
    {
        _directory = new TestDirectory("spwit");
        _server = new ServerProcess(_directory, """experimental { feature_flags = ["wit-svid"] }""");
        await _server.StartAsync();
        var token = await _server.GenerateTokenAsync();
        await _server.CreateEntryAsync(ServerProcess.AgentIdFor(token), Domain + "/test-runner", ["unix:uid:0"], jwtSvidTtl: 20);
        _agent = new AgentProcess(_directory, _server, await _server.BundlePemAsync());
        await _agent.StartAsync(token);
        _client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = "unix://" + _agent.SocketPath });
        await Eventually.WaitAsync(
            async () => (await _client.FetchWitBundlesAsync()).GetWitBundleForTrustDomain(TrustDomain.Parse("example.org")).WitAuthorities.Count > 0,
            "the agent to serve the server's WIT authorities");
    }

    [OneTimeTearDown]
    public async Task StopStackAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _directory?.Dispose();
    }

    [TearDown]
    public void PrintLogsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine("---- agent log (tail) ----\n" + Tail(_agent.Log));
            TestContext.Out.WriteLine("---- server log (tail) ----\n" + Tail(_server.Log));
        }
    }

    [Test]
    public async Task FetchWitSvid_RealAgent_ValidatesWithIdentityModelAgainstTheServedWitBundle()
    {
        // Arrange
        var credential = await _client.FetchWitSvidAsync().DefaultTimeout();
        var jwksText = await FetchRawWitBundleAsync();
        var jwks = new JsonWebKeySet(jwksText);

        // Act
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(credential.Svid.Token, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidTypes = ["wit+jwt"],
            ValidAlgorithms = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
        }).DefaultTimeout();

        // Assert
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        Assert.That(token.Subject, Is.EqualTo(Domain + "/test-runner"));
        Assert.That(token.Audiences, Is.Empty);
        Assert.That(token.Id, Is.Not.Empty);
        Assert.That(jwks.Keys.Select(k => k.Kid), Does.Contain(token.Kid));
        Assert.That(jwks.Keys, Has.All.Matches<JsonWebKey>(k => k.Use == "wit-svid" && !string.IsNullOrEmpty(k.Kid)));
        Assert.That(token.GetPayloadValue<System.Text.Json.JsonElement>("cnf").GetProperty("jwk").GetProperty("alg").GetString(), Is.EqualTo("ES256"));
        Assert.That(credential.IsKeyExportable, Is.True);
        Assert.That(credential.Svid.ConfirmationKey.Matches(credential.PrivateKey!), Is.True);
        Assert.That(credential.Svid.ConfirmationKey.Algorithm, Is.EqualTo("ES256"));
    }

    [Test]
    public async Task CreateProof_RealAgent_VerifierAcceptsItForTheRightAudience()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache());

        // Act
        var proof = await ProveAsync(Target);

        // Assert
        var result = verifier.Verify(proof.Wit, proof.Proof, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow());
        Assert.That(result.Id.ToString(), Is.EqualTo(Domain + "/test-runner"));
        Assert.That(proof.SpiffeId, Is.EqualTo(result.Id));
        Assert.That(result.WitJti, Is.Not.Null);
        Assert.That(proof.ExpiresAt - TimeProvider.System.GetUtcNow(), Is.LessThanOrEqualTo(TimeSpan.FromSeconds(61)));
    }

    [Test]
    public async Task Verifier_WitWithoutProof_Refused()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache());
        var proof = await ProveAsync(Target);

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() =>
            verifier.Verify(proof.Wit, string.Empty, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow()));

        // Assert
        Assert.That(ex!.Failure, Is.EqualTo(WorkloadProofFailure.MalformedProof));
    }

    [Test]
    public async Task Verifier_ProofForAnotherAudience_Refused()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache());
        var proof = await ProveAsync("https://other.example/items");

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() =>
            verifier.Verify(proof.Wit, proof.Proof, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow()));

        // Assert
        Assert.That(ex!.Failure, Is.EqualTo(WorkloadProofFailure.Audience));
    }

    [Test]
    public async Task Verifier_ReplayedProof_RefusedTheSecondTime()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache());
        var proof = await ProveAsync(Target);
        var context = new WorkloadProofContext { Audience = Target };
        verifier.Verify(proof.Wit, proof.Proof, context, TimeProvider.System.GetUtcNow());

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() => verifier.Verify(proof.Wit, proof.Proof, context, TimeProvider.System.GetUtcNow()));

        // Assert
        Assert.That(ex!.Failure, Is.EqualTo(WorkloadProofFailure.Replay));
    }

    [Test]
    public async Task Verifier_WitWithAProofSignedByAnotherKey_Refused()
    {
        // Arrange
        var verifier = new WorkloadProofVerifier(await _client.FetchWitBundlesAsync().DefaultTimeout(), new InMemoryWptReplayCache());
        var proof = await ProveAsync(Target);
        var parts = proof.Proof.Split('.');
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = other.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256);
        var forged = parts[0] + "." + parts[1] + "." + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        // Act
        var ex = Assert.Throws<WorkloadProofException>(() =>
            verifier.Verify(proof.Wit, forged, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow()));

        // Assert
        Assert.That(ex!.Failure, Is.EqualTo(WorkloadProofFailure.Signature));
    }

    [Test]
    public async Task WitSource_RealAgent_RotatesTheWitOnTheStreamBeforeItExpires()
    {
        // Arrange
        await using var source = await WitSource.CreateAsync(new WitSourceOptions { Client = _client }).DefaultTimeout();
        var first = source.GetWitSvid().Svid;
        var rotated = new TaskCompletionSource<WitSvid>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) =>
        {
            if (source.GetWitSvid().Svid.Token != first.Token)
            {
                rotated.TrySetResult(source.GetWitSvid().Svid);
            }
        };

        // Act
        var next = await rotated.Task.WaitAsync(TimeSpan.FromSeconds(40));

        // Assert
        Assert.That(TimeProvider.System.GetUtcNow(), Is.LessThan(first.Expiry));
        Assert.That(next.Jti, Is.Not.EqualTo(first.Jti));
        Assert.That(next.ConfirmationKey.Jwk, Is.Not.EqualTo(first.ConfirmationKey.Jwk), "a fresh key for every WIT");
        Assert.That(WitSvid.ParseAndValidate(next.Token, source, TimeProvider.System.GetUtcNow()).Id, Is.EqualTo(first.Id));
    }

    private static string Tail(string text) => text.Length > 6000 ? text[^6000..] : text;

    private async Task<WorkloadProof> ProveAsync(string target) =>
        await new AgentWorkloadProofProvider(_client).CreateProofAsync(new WorkloadProofRequest { TargetUri = target, Method = "GET" }, CancellationToken.None).DefaultTimeout();

    private async Task<string> FetchRawWitBundleAsync()
    {
        using var client = new WorkloadClient(_agent.SocketPath);
        using var call = client.Invoker.AsyncServerStreamingCall(FetchWitBundlesMethod, null, new CallOptions(WorkloadClient.SecurityHeader), new WITBundlesRequest());
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        return call.ResponseStream.Current.Bundles[Domain];
    }
}
