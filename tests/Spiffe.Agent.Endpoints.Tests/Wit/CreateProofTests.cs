using Grpc.Core;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

[TestFixture]
public sealed class CreateProofTests
{
    private const string Target = "https://tool.example/items";
    private static readonly WitTestDomain Domain = new("example.org");

    [Test]
    public async Task CreateProof_Caller_ProofAcceptedByTheVerifierForTheTarget()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        var identity = Domain.Identity("e1", "/web");
        harness.WitCache.Publish(Domain.Update(identity));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target, Method = "GET" }).DefaultTimeout();

        // Assert
        var result = Verifier().Verify(response.Wit, response.Wpt, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow());
        Assert.That(response.Wit, Is.EqualTo(identity.Credential.Svid.Token));
        Assert.That(response.SpiffeId, Is.EqualTo("spiffe://example.org/web"));
        Assert.That(result.Id, Is.EqualTo(Domain.Id("/web")));
        Assert.That(response.WptExpiresAt, Is.EqualTo(result.ProofExpiry.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task CreateProof_ContextTokens_BoundAsAthTthOth()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        var request = new CreateProofRequest { TargetUri = Target, AccessToken = "access", TxnToken = "txn" };
        request.OtherTokens["X-User-Context"] = "user";

        // Act
        var response = await harness.CreateProofAsync(request).DefaultTimeout();

        // Assert
        var context = new WorkloadProofContext
        {
            Audience = Target,
            AccessToken = "access",
            TransactionToken = "txn",
            OtherTokens = new Dictionary<string, string> { ["x-user-context"] = "user" },
        };
        Assert.That(() => Verifier().Verify(response.Wit, response.Wpt, context, TimeProvider.System.GetUtcNow()), Throws.Nothing);
        Assert.That(
            () => Verifier().Verify(response.Wit, response.Wpt, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow()),
            Throws.TypeOf<WorkloadProofException>().With.Property(nameof(WorkloadProofException.Failure)).EqualTo(WorkloadProofFailure.AccessTokenHash));
    }

    [TestCase(0u, 60)]
    [TestCase(10u, 10)]
    [TestCase(300u, 60)]
    public async Task CreateProof_RequestedLifetime_CappedAtTheConfiguredMaximum(uint requested, long expected)
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target, LifetimeSeconds = requested }).DefaultTimeout();

        // Assert
        Assert.That(Lifetime(response), Is.EqualTo(expected));
    }

    [Test]
    public async Task CreateProof_SmallerConfiguredMaximum_Applied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain, witOptions: new WitOptions { MaxProofLifetime = TimeSpan.FromSeconds(15) });
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout();

        // Assert
        Assert.That(Lifetime(response), Is.EqualTo(15));
    }

    [Test]
    public async Task CreateProof_SpiffeId_ProvesThatIdentity()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        var batch = Domain.Identity("e2", "/batch");
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web"), batch));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target, SpiffeId = "spiffe://example.org/batch" }).DefaultTimeout();

        // Assert
        Assert.That(response.SpiffeId, Is.EqualTo("spiffe://example.org/batch"));
        Assert.That(response.Wit, Is.EqualTo(batch.Credential.Svid.Token));
    }

    [Test]
    public async Task CreateProof_SpiffeIdNotEntitled_PermissionDenied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() =>
            harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target, SpiffeId = "spiffe://example.org/admin" }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [Test]
    public async Task CreateProof_NoIdentity_PermissionDenied()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("no identity issued"));
    }

    [TestCase("")]
    [TestCase("/items")]
    [TestCase("ftp://tool.example/items")]
    [TestCase("https://user:secret@tool.example/items")]
    [TestCase("https://tool.example/items?id=1")]
    [TestCase("https://tool.example/items#top")]
    public async Task CreateProof_InvalidTargetUri_InvalidArgumentBeforeAttestation(string target)
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task CreateProof_RepeatedOtherTokenName_InvalidArgument()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/web")));
        var request = new CreateProofRequest { TargetUri = Target };
        request.OtherTokens["X-Context"] = "a";
        request.OtherTokens["x-context"] = "b";

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(request).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task CreateProof_WithoutSecurityHeader_InvalidArgumentBeforeAttestation()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }, headers: []).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("security header missing from request"));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task CreateProof_AttestationFails_Unavailable()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.Attestation.Result = _ => Core.Attestation.WorkloadAttestationResult.AttestationFailed();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(harness.WitCache.GetIdentitiesCalls, Is.Zero);
    }

    [Test]
    public async Task CreateProof_WitCannotBeMinted_Unavailable()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.Failure = new WitSvidUnavailableException("the server is down");

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(ex.Status.Detail, Does.Contain("the server is down"));
    }

    [Test]
    public async Task CreateProof_TrustDomainWithoutWitAuthorities_Unimplemented()
    {
        // Arrange
        await using var harness = await WitEndpointHarness.StartAsync(Domain);
        harness.WitCache.IsEnabled = false;

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task CreateProof_RevokedWit_PermissionDenied()
    {
        // Arrange
        var tasks = new WitTaskFakes();
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        var identity = Domain.Identity("e1", "/web");
        harness.WitCache.Publish(Domain.Update(identity));
        tasks.RevokedJtis.Add(identity.Credential.Svid.Jti!);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("the WIT-SVID has been revoked"));
    }

    [Test]
    public async Task CreateProof_TaskCaller_PolicySeesTheRequestAndTheIssueIsAuditedWithBothJtis()
    {
        // Arrange
        var tasks = new WitTaskFakes { CallerTask = WitTaskFakes.Task("t1", Domain.Id("/task/t1"), keysNotExportable: true) };
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        var identity = Domain.Identity("e1", "/task/t1", taskId: "t1");
        harness.WitCache.Publish(Domain.Update(identity));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target, Method = "POST" }).DefaultTimeout();

        // Assert
        var proof = Verifier().Verify(response.Wit, response.Wpt, new WorkloadProofContext { Audience = Target }, TimeProvider.System.GetUtcNow());
        var policy = tasks.PolicyRequests.Single();
        Assert.That(policy.Method, Is.EqualTo("CreateProof"));
        Assert.That(policy.Audiences, Is.EqualTo(new[] { Target }));
        var issue = tasks.AuditEntries.Single(e => e.Kind == AuditEntryKind.Issue);
        Assert.That(issue.Task!.TaskId, Is.EqualTo("t1"));
        Assert.That(issue.Jti, Is.EqualTo(identity.Credential.Svid.Jti));
        Assert.That(issue.ProofJti, Is.EqualTo(proof.ProofJti));
        Assert.That(issue.HttpMethod, Is.EqualTo("POST"));
        Assert.That(issue.Request!.Audiences, Is.EqualTo(new[] { Target }));
        Assert.That(issue.Policies!.Single().Name, Is.EqualTo("p"));
    }

    [Test]
    public async Task CreateProof_PolicyDenies_PermissionDeniedAndAudited()
    {
        // Arrange
        var tasks = new WitTaskFakes
        {
            CallerTask = WitTaskFakes.Task("t1", Domain.Id("/task/t1"), keysNotExportable: false),
            Decision = new RequestPolicyDecision(false, "denied by policy tools: no writes", [new PolicyReference("tools", new string('b', 64))], null),
        };
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/task/t1", taskId: "t1")));

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Is.EqualTo("denied by policy tools: no writes"));
        Assert.That(tasks.AuditEntries.Select(e => e.Kind), Does.Contain(AuditEntryKind.Denial));
        Assert.That(harness.WitCache.GetIdentitiesCalls, Is.Zero);
    }

    [Test]
    public async Task CreateProof_PolicyMaxTtl_CapsTheLifetime()
    {
        // Arrange
        var tasks = new WitTaskFakes
        {
            CallerTask = WitTaskFakes.Task("t1", Domain.Id("/task/t1"), keysNotExportable: false),
            Decision = new RequestPolicyDecision(true, null, [], TimeSpan.FromSeconds(5)),
        };
        await using var harness = await WitEndpointHarness.StartAsync(Domain, tasks);
        harness.WitCache.Publish(Domain.Update(Domain.Identity("e1", "/task/t1", taskId: "t1")));

        // Act
        var response = await harness.CreateProofAsync(new CreateProofRequest { TargetUri = Target }).DefaultTimeout();

        // Assert
        Assert.That(Lifetime(response), Is.EqualTo(5));
    }

    private static WorkloadProofVerifier Verifier() => new(Domain.Bundle, new InMemoryWptReplayCache());

    private static long Lifetime(CreateProofResponse response)
    {
        var payload = System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(response.Wpt.Split('.')[1])).RootElement;
        return payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
    }
}
