using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Config;
using Spiffe.Server.Tests.AdminApi;
using Spiffe.Server.Tests.Infrastructure;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;
using SvidApi = Spiffe.Proto.Spire.Server.Svid.V1;

namespace Spiffe.Server.Tests.Grants;

/// <summary>
/// Task grants over the real TLS listener: two agents each own an admin entry for the same granted SPIFFE ID and
/// present real admin SVIDs minted for those entries through <c>BatchNewX509SVID</c>. A granted caller may only
/// create, update and delete entries inside its scope; an admin ID without a grant keeps full rights.
/// </summary>
[TestFixture]
public sealed class TaskGrantTests
{
    private static readonly SpiffeId AgentAdmin = SpiffeId.Parse("spiffe://example.org/spiffe-agent/admin");

    private TestServer server = null!;
    private TestAgent agentA = null!;
    private TestAgent agentB = null!;
    private X509Certificate2Collection anchors = null!;
    private Grpc.Net.Client.GrpcChannel local = null!;
    private string adminEntryA = null!;
    private X509Certificate2 adminSvidA = null!;
    private X509Certificate2 adminSvidB = null!;
    private X509Certificate2 opsSvid = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync(c => c with
        {
            TaskGrants = [new TaskGrant(AgentAdmin, SpiffeId.Parse("spiffe://example.org/agent"), TimeSpan.FromHours(1))],
        });
        this.anchors = await this.server.GetTrustAnchorsAsync();
        this.local = this.server.CreateAdminChannel();
        this.agentA = new TestAgent(this.server, this.anchors);
        await this.agentA.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
        this.agentB = new TestAgent(this.server, this.anchors);
        await this.agentB.AttestJoinTokenAsync(await this.server.CreateJoinTokenAsync());
        this.adminEntryA = await this.CreateLocallyAsync(AdminEntry(AgentAdmin, this.agentA.Id));
        this.adminSvidA = await MintAsync(this.agentA, this.adminEntryA);
        this.adminSvidB = await MintAsync(this.agentB, await this.CreateLocallyAsync(AdminEntry(AgentAdmin, this.agentB.Id)));
        this.opsSvid = await MintAsync(this.agentA, await this.CreateLocallyAsync(AdminEntry(SpiffeId.Parse("spiffe://example.org/ops/admin"), this.agentA.Id)));
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        this.adminSvidA.Dispose();
        this.adminSvidB.Dispose();
        this.opsSvid.Dispose();
        this.local.Dispose();
        await this.server.DisposeAsync();
    }

    [Test]
    public async Task CreateUpdateDelete_TaskEntryWithinTheGrant_Succeed()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidA);
        var client = new EntryApi.Entry.EntryClient(channel);
        var entry = this.TaskEntry("/agent/a/task/ok", this.agentA.Id, TimeSpan.FromMinutes(30));

        // Act
        var created = (await client.BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest { Entries = { entry } }).ResponseAsync.DefaultTimeout()).Results.Single();
        var update = new Entry { Id = created.Entry.Id, ExpiresAt = this.Now + 600 };
        var updated = (await client.BatchUpdateEntryAsync(new EntryApi.BatchUpdateEntryRequest
        {
            Entries = { update },
            InputMask = new EntryMask { ExpiresAt = true },
        }).ResponseAsync.DefaultTimeout()).Results.Single();
        var deleted = (await client.BatchDeleteEntryAsync(new EntryApi.BatchDeleteEntryRequest { Ids = { created.Entry.Id } }).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(created.Status.Code, Is.Zero, created.Status.Message);
            Assert.That(updated.Status.Code, Is.Zero, updated.Status.Message);
            Assert.That(updated.Entry.ExpiresAt, Is.EqualTo(update.ExpiresAt));
            Assert.That(deleted.Status.Code, Is.Zero, deleted.Status.Message);
        });
        Assert.That(await this.server.DataStore.GetEntryAsync(created.Entry.Id, CancellationToken.None).DefaultTimeout(), Is.Null);
    }

    [Test]
    public async Task BatchCreateEntry_OutsideTheGrant_IsPermissionDeniedNamingEachRule()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidA);
        var a = this.agentA.Id;
        var admin = this.TaskEntry("/agent/a/task/admin", a, TimeSpan.FromMinutes(5));
        admin.Admin = true;
        var downstream = this.TaskEntry("/agent/a/task/downstream", a, TimeSpan.FromMinutes(5));
        downstream.Downstream = true;
        var dns = this.TaskEntry("/agent/a/task/dns", a, TimeSpan.FromMinutes(5));
        dns.DnsNames.Add("bank.example");
        var longX509 = this.TaskEntry("/agent/a/task/x509", a, TimeSpan.FromMinutes(5));
        longX509.X509SvidTtl = 7200;
        var longJwt = this.TaskEntry("/agent/a/task/jwt", a, TimeSpan.FromMinutes(5));
        longJwt.JwtSvidTtl = 3601;
        var request = new EntryApi.BatchCreateEntryRequest
        {
            Entries =
            {
                this.TaskEntry("/other/a/task/1", a, TimeSpan.FromMinutes(5)),
                this.TaskEntry("/agentx/a/task/1", a, TimeSpan.FromMinutes(5)),
                this.TaskEntry("/agent/a/task/parent", this.agentB.Id, TimeSpan.FromMinutes(5)),
                this.TaskEntry("/agent/a/task/long", a, TimeSpan.FromMinutes(61)),
                this.TaskEntry("/agent/a/task/forever", a, null),
                longX509,
                longJwt,
                admin,
                downstream,
                dns,
                this.TaskEntry("/agent/a/task/fine", a, TimeSpan.FromMinutes(60)),
            },
        };
        var before = await this.server.DataStore.CountEntriesAsync(Spiffe.Server.DataStore.EntryFilter.All, CancellationToken.None).DefaultTimeout();

        // Act
        var response = await new EntryApi.Entry.EntryClient(channel).BatchCreateEntryAsync(request).ResponseAsync.DefaultTimeout();

        // Assert
        var after = await this.server.DataStore.CountEntriesAsync(Spiffe.Server.DataStore.EntryFilter.All, CancellationToken.None).DefaultTimeout();
        const string Prefix = "task grant of spiffe://example.org/spiffe-agent/admin: ";
        Assert.Multiple(() =>
        {
            Assert.That(response.Results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(Enumerable.Repeat(StatusCode.PermissionDenied, 10).Append(StatusCode.OK)));
            Assert.That(response.Results.Select(r => r.Status.Message).Take(10), Is.EqualTo(new[]
            {
                Prefix + "spiffe_id \"spiffe://example.org/other/a/task/1\" is not at or below id_prefix \"spiffe://example.org/agent/\"",
                Prefix + "spiffe_id \"spiffe://example.org/agentx/a/task/1\" is not at or below id_prefix \"spiffe://example.org/agent/\"",
                Prefix + $"parent_id must be \"{this.agentA.Id}\", the agent that owns the admin entry",
                Prefix + "expires_at is more than max_ttl (3600s) from now",
                Prefix + "expires_at is required",
                Prefix + "x509_svid_ttl (7200s) exceeds max_ttl (3600s)",
                Prefix + "jwt_svid_ttl (3601s) exceeds max_ttl (3600s)",
                Prefix + "admin entries are not allowed",
                Prefix + "downstream entries are not allowed",
                Prefix + "dns_names are not allowed",
            }));
            Assert.That(after, Is.EqualTo(before + 1));
            Assert.That(this.server.Logs.Records.Count(r => r.EventName == "TaskGrantDenied"), Is.GreaterThanOrEqualTo(10));
        });
    }

    [Test]
    public async Task UpdateAndDelete_EntryTheCallerCouldNotHaveCreated_ArePermissionDenied()
    {
        // Arrange
        var foreign = await this.CreateLocallyAsync(this.TaskEntry("/agent/b/task/1", this.agentB.Id, TimeSpan.FromMinutes(5)));
        var outside = await this.CreateLocallyAsync(this.TaskEntry("/payments", this.agentA.Id, null));
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidA);
        var client = new EntryApi.Entry.EntryClient(channel);
        var own = (await client.BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { this.TaskEntry("/agent/a/task/own", this.agentA.Id, TimeSpan.FromMinutes(5)) },
        }).ResponseAsync.DefaultTimeout()).Results.Single().Entry;

        // Act
        var deleted = await client.BatchDeleteEntryAsync(new EntryApi.BatchDeleteEntryRequest { Ids = { foreign, outside, "no-such-entry" } }).ResponseAsync.DefaultTimeout();
        var updated = await client.BatchUpdateEntryAsync(new EntryApi.BatchUpdateEntryRequest
        {
            Entries =
            {
                new Entry { Id = foreign, ExpiresAt = this.Now + 60 },
                new Entry { Id = own.Id, ExpiresAt = 0 },
            },
            InputMask = new EntryMask { ExpiresAt = true },
        }).ResponseAsync.DefaultTimeout();
        var moved = await client.BatchUpdateEntryAsync(new EntryApi.BatchUpdateEntryRequest
        {
            Entries = { new Entry { Id = own.Id, SpiffeId = EntryAdminServiceTests.Id("/payments/own") } },
            InputMask = new EntryMask { SpiffeId = true },
        }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(deleted.Results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[] { StatusCode.PermissionDenied, StatusCode.PermissionDenied, StatusCode.NotFound }));
            Assert.That(deleted.Results[0].Status.Message, Does.Contain("parent_id must be"));
            Assert.That(deleted.Results[1].Status.Message, Does.Contain("is not at or below id_prefix"));
            Assert.That(updated.Results.Select(r => (StatusCode)r.Status.Code), Is.All.EqualTo(StatusCode.PermissionDenied));
            Assert.That(updated.Results[0].Status.Message, Does.Contain("parent_id must be"));
            Assert.That(updated.Results[1].Status.Message, Does.EndWith("expires_at is required"));
            Assert.That((StatusCode)moved.Results.Single().Status.Code, Is.EqualTo(StatusCode.PermissionDenied));
            Assert.That(moved.Results.Single().Status.Message, Does.Contain("\"spiffe://example.org/payments/own\" is not at or below id_prefix"));
        });
        Assert.That(await this.server.DataStore.GetEntryAsync(foreign, CancellationToken.None).DefaultTimeout(), Is.Not.Null);
        Assert.That(await this.server.DataStore.GetEntryAsync(outside, CancellationToken.None).DefaultTimeout(), Is.Not.Null);
    }

    [Test]
    public async Task OtherAdminRpcs_GrantedCaller_ArePermissionDenied()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidA);
        var entries = new EntryApi.Entry.EntryClient(channel);
        var agents = new AgentApi.Agent.AgentClient(channel);
        var bundles = new BundleApi.Bundle.BundleClient(channel);

        // Act
        var calls = new Func<Task>[]
        {
            () => entries.ListEntriesAsync(new EntryApi.ListEntriesRequest()).ResponseAsync,
            () => entries.CountEntriesAsync(new EntryApi.CountEntriesRequest()).ResponseAsync,
            () => entries.GetEntryAsync(new EntryApi.GetEntryRequest { Id = this.adminEntryA }).ResponseAsync,
            () => agents.ListAgentsAsync(new AgentApi.ListAgentsRequest()).ResponseAsync,
            () => agents.CreateJoinTokenAsync(new AgentApi.CreateJoinTokenRequest { Ttl = 60 }).ResponseAsync,
            () => agents.BanAgentAsync(new AgentApi.BanAgentRequest { Id = EntryAdminServiceTests.Id(this.agentB.Id.Path) }).ResponseAsync,
            () => bundles.CountBundlesAsync(new BundleApi.CountBundlesRequest()).ResponseAsync,
        };
        var failures = new List<RpcException>();
        foreach (var call in calls)
        {
            failures.Add(Assert.ThrowsAsync<RpcException>(async () => await call().DefaultTimeout())!);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(failures.Select(f => f.StatusCode), Is.All.EqualTo(StatusCode.PermissionDenied));
            Assert.That(failures.Select(f => f.Status.Detail), Is.All.EqualTo(
                "task grant of spiffe://example.org/spiffe-agent/admin: only entry create, update and delete are granted"));
        });
        var agentB = await this.server.DataStore.GetAttestedAgentAsync(this.agentB.Id, CancellationToken.None).DefaultTimeout();
        Assert.That(agentB!.Banned, Is.False);
    }

    [Test]
    public async Task BatchCreateEntry_OtherAgentsAdminSvidForTheSameId_IsTiedToItsOwnAgent()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidB);
        var client = new EntryApi.Entry.EntryClient(channel);

        // Act
        var response = await client.BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries =
            {
                this.TaskEntry("/agent/b/task/under-a", this.agentA.Id, TimeSpan.FromMinutes(5)),
                this.TaskEntry("/agent/b/task/under-b", this.agentB.Id, TimeSpan.FromMinutes(5)),
            },
        }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(response.Results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[] { StatusCode.PermissionDenied, StatusCode.OK }));
            Assert.That(response.Results[0].Status.Message, Does.Contain($"parent_id must be \"{this.agentB.Id}\""));
        });
    }

    [Test]
    public async Task AdminEntryWithoutGrant_AndLocalCaller_KeepFullAdminRights()
    {
        // Arrange
        using var channel = this.server.CreateAgentChannel(this.anchors, this.opsSvid);
        var client = new EntryApi.Entry.EntryClient(channel);

        // Act
        var listed = await client.ListEntriesAsync(new EntryApi.ListEntriesRequest()).ResponseAsync.DefaultTimeout();
        var created = (await client.BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { this.TaskEntry("/anything/ops", this.agentB.Id, null) },
        }).ResponseAsync.DefaultTimeout()).Results.Single();
        var localCreated = (await new EntryApi.Entry.EntryClient(this.local).BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { this.TaskEntry("/anything/local", this.agentB.Id, null) },
        }).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(listed.Entries, Is.Not.Empty);
            Assert.That(created.Status.Code, Is.Zero, created.Status.Message);
            Assert.That(localCreated.Status.Code, Is.Zero, localCreated.Status.Message);
        });
    }

    [Test]
    public async Task BatchCreateEntry_AdminSvidWhoseEntryIsGone_IsPermissionDenied()
    {
        // Arrange: a second admin entry of agent A for the granted ID; its SVID outlives the entry, while agent B's
        // admin entry keeps the ID an admin ID.
        var entryId = await this.CreateLocallyAsync(AdminEntry(AgentAdmin, this.agentA.Id, "spiffe_agent:spare"));
        using var spare = await MintAsync(this.agentA, entryId);
        await this.server.DataStore.DeleteEntryAsync(entryId, CancellationToken.None).DefaultTimeout();
        using var channel = this.server.CreateAgentChannel(this.anchors, spare);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await new EntryApi.Entry.EntryClient(channel).BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { this.TaskEntry("/agent/a/task/spare", this.agentA.Id, TimeSpan.FromMinutes(5)) },
        }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(ex.Status.Detail, Does.EndWith("the presented admin SVID was not signed for a current admin entry of this ID (fetch a new one)"));
    }

    [Test]
    public async Task BatchCreateEntry_AfterServerRestart_StillTiesTheAdminSvidToItsAgent()
    {
        // Arrange
        await this.server.RestartAsync();
        using var channel = this.server.CreateAgentChannel(this.anchors, this.adminSvidA);

        // Act
        var created = (await new EntryApi.Entry.EntryClient(channel).BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest
        {
            Entries = { this.TaskEntry("/agent/a/task/after-restart", this.agentA.Id, TimeSpan.FromMinutes(5)) },
        }).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.That(created.Status.Code, Is.Zero, created.Status.Message);
    }

    private long Now => this.server.Time.GetUtcNow().ToUnixTimeSeconds();

    private static Entry AdminEntry(SpiffeId id, SpiffeId parent, string selector = "spiffe_agent:self")
    {
        var entry = EntryAdminServiceTests.NewEntry(id.Path, parent.Path, selector);
        entry.Admin = true;
        return entry;
    }

    private Entry TaskEntry(string path, SpiffeId parent, TimeSpan? lifetime)
    {
        var entry = EntryAdminServiceTests.NewEntry(path, parent.Path, "spiffe_agent:task:" + path.Replace('/', '-'));
        entry.ExpiresAt = lifetime is { } l ? this.Now + (long)l.TotalSeconds : 0;
        entry.X509SvidTtl = 600;
        entry.JwtSvidTtl = 300;
        return entry;
    }

    private async Task<string> CreateLocallyAsync(Entry entry)
    {
        var result = (await new EntryApi.Entry.EntryClient(this.local)
            .BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest { Entries = { entry } }).ResponseAsync.DefaultTimeout()).Results.Single();
        Assert.That(result.Status.Code, Is.Zero, result.Status.Message);
        return result.Entry.Id;
    }

    private static async Task<X509Certificate2> MintAsync(TestAgent agent, string entryId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var channel = agent.CreateChannel();
        var result = (await new SvidApi.SVID.SVIDClient(channel).BatchNewX509SVIDAsync(new SvidApi.BatchNewX509SVIDRequest
        {
            Params = { new SvidApi.NewX509SVIDParams { EntryId = entryId, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
        }).ResponseAsync.DefaultTimeout()).Results.Single();
        Assert.That(result.Status.Code, Is.Zero, result.Status.Message);
        using var leaf = X509CertificateLoader.LoadCertificate(result.Svid.CertChain[0].Span);
        return leaf.CopyWithPrivateKey(key);
    }
}
