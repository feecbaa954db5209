using Google.Protobuf.Reflection;
using AgentV1 = Spiffe.Proto.Spire.Server.Agent.V1;
using BundleV1 = Spiffe.Proto.Spire.Server.Bundle.V1;
using EntryV1 = Spiffe.Proto.Spire.Server.Entry.V1;
using SvidV1 = Spiffe.Proto.Spire.Server.Svid.V1;

namespace Spiffe.Protos.Tests.Spire.Server;

/// <summary>
/// Pins the SPIRE server services: full names (the gRPC path is /service/method), every RPC with its
/// request and response types, and which RPCs stream.
/// </summary>
[TestFixture]
public sealed class SpireServicesTests
{
    private const string AgentService = "spire.api.server.agent.v1.Agent";
    private const string EntryService = "spire.api.server.entry.v1.Entry";
    private const string SvidService = "spire.api.server.svid.v1.SVID";
    private const string BundleService = "spire.api.server.bundle.v1.Bundle";

    private const string AgentPkg = "spire.api.server.agent.v1.";
    private const string EntryPkg = "spire.api.server.entry.v1.";
    private const string SvidPkg = "spire.api.server.svid.v1.";
    private const string BundlePkg = "spire.api.server.bundle.v1.";
    private const string TypesPkg = "spire.api.types.";
    private const string Empty = "google.protobuf.Empty";

    // service, method, request, response, client streaming, server streaming — in declaration order.
    private static readonly object[] Methods =
    [
        new object[] { AgentService, "CountAgents", AgentPkg + "CountAgentsRequest", AgentPkg + "CountAgentsResponse", false, false },
        new object[] { AgentService, "ListAgents", AgentPkg + "ListAgentsRequest", AgentPkg + "ListAgentsResponse", false, false },
        new object[] { AgentService, "GetAgent", AgentPkg + "GetAgentRequest", TypesPkg + "Agent", false, false },
        new object[] { AgentService, "DeleteAgent", AgentPkg + "DeleteAgentRequest", Empty, false, false },
        new object[] { AgentService, "BanAgent", AgentPkg + "BanAgentRequest", Empty, false, false },
        new object[] { AgentService, "AttestAgent", AgentPkg + "AttestAgentRequest", AgentPkg + "AttestAgentResponse", true, true },
        new object[] { AgentService, "RenewAgent", AgentPkg + "RenewAgentRequest", AgentPkg + "RenewAgentResponse", false, false },
        new object[] { AgentService, "CreateJoinToken", AgentPkg + "CreateJoinTokenRequest", TypesPkg + "JoinToken", false, false },
        new object[] { AgentService, "PostStatus", AgentPkg + "PostStatusRequest", AgentPkg + "PostStatusResponse", false, false },

        new object[] { EntryService, "CountEntries", EntryPkg + "CountEntriesRequest", EntryPkg + "CountEntriesResponse", false, false },
        new object[] { EntryService, "ListEntries", EntryPkg + "ListEntriesRequest", EntryPkg + "ListEntriesResponse", false, false },
        new object[] { EntryService, "GetEntry", EntryPkg + "GetEntryRequest", TypesPkg + "Entry", false, false },
        new object[] { EntryService, "BatchCreateEntry", EntryPkg + "BatchCreateEntryRequest", EntryPkg + "BatchCreateEntryResponse", false, false },
        new object[] { EntryService, "BatchUpdateEntry", EntryPkg + "BatchUpdateEntryRequest", EntryPkg + "BatchUpdateEntryResponse", false, false },
        new object[] { EntryService, "BatchDeleteEntry", EntryPkg + "BatchDeleteEntryRequest", EntryPkg + "BatchDeleteEntryResponse", false, false },
        new object[] { EntryService, "GetAuthorizedEntries", EntryPkg + "GetAuthorizedEntriesRequest", EntryPkg + "GetAuthorizedEntriesResponse", false, false },
        new object[] { EntryService, "SyncAuthorizedEntries", EntryPkg + "SyncAuthorizedEntriesRequest", EntryPkg + "SyncAuthorizedEntriesResponse", true, true },

        new object[] { SvidService, "MintX509SVID", SvidPkg + "MintX509SVIDRequest", SvidPkg + "MintX509SVIDResponse", false, false },
        new object[] { SvidService, "MintJWTSVID", SvidPkg + "MintJWTSVIDRequest", SvidPkg + "MintJWTSVIDResponse", false, false },
        new object[] { SvidService, "MintWITSVID", SvidPkg + "MintWITSVIDRequest", SvidPkg + "MintWITSVIDResponse", false, false },
        new object[] { SvidService, "BatchNewX509SVID", SvidPkg + "BatchNewX509SVIDRequest", SvidPkg + "BatchNewX509SVIDResponse", false, false },
        new object[] { SvidService, "NewJWTSVID", SvidPkg + "NewJWTSVIDRequest", SvidPkg + "NewJWTSVIDResponse", false, false },
        new object[] { SvidService, "BatchNewWITSVID", SvidPkg + "BatchNewWITSVIDRequest", SvidPkg + "BatchNewWITSVIDResponse", false, false },
        new object[] { SvidService, "NewDownstreamX509CA", SvidPkg + "NewDownstreamX509CARequest", SvidPkg + "NewDownstreamX509CAResponse", false, false },

        new object[] { BundleService, "CountBundles", BundlePkg + "CountBundlesRequest", BundlePkg + "CountBundlesResponse", false, false },
        new object[] { BundleService, "GetBundle", BundlePkg + "GetBundleRequest", TypesPkg + "Bundle", false, false },
        new object[] { BundleService, "AppendBundle", BundlePkg + "AppendBundleRequest", TypesPkg + "Bundle", false, false },
        new object[] { BundleService, "PublishJWTAuthority", BundlePkg + "PublishJWTAuthorityRequest", BundlePkg + "PublishJWTAuthorityResponse", false, false },
        new object[] { BundleService, "PublishWITAuthority", BundlePkg + "PublishWITAuthorityRequest", BundlePkg + "PublishWITAuthorityResponse", false, false },
        new object[] { BundleService, "ListFederatedBundles", BundlePkg + "ListFederatedBundlesRequest", BundlePkg + "ListFederatedBundlesResponse", false, false },
        new object[] { BundleService, "GetFederatedBundle", BundlePkg + "GetFederatedBundleRequest", TypesPkg + "Bundle", false, false },
        new object[] { BundleService, "BatchCreateFederatedBundle", BundlePkg + "BatchCreateFederatedBundleRequest", BundlePkg + "BatchCreateFederatedBundleResponse", false, false },
        new object[] { BundleService, "BatchUpdateFederatedBundle", BundlePkg + "BatchUpdateFederatedBundleRequest", BundlePkg + "BatchUpdateFederatedBundleResponse", false, false },
        new object[] { BundleService, "BatchSetFederatedBundle", BundlePkg + "BatchSetFederatedBundleRequest", BundlePkg + "BatchSetFederatedBundleResponse", false, false },
        new object[] { BundleService, "BatchDeleteFederatedBundle", BundlePkg + "BatchDeleteFederatedBundleRequest", BundlePkg + "BatchDeleteFederatedBundleResponse", false, false },
    ];

    private static readonly string[] ServiceNames = [AgentService, EntryService, SvidService, BundleService];

    private static ServiceDescriptor Service(string fullName)
    {
        FileDescriptor[] files =
        [
            AgentV1.AgentReflection.Descriptor,
            EntryV1.EntryReflection.Descriptor,
            SvidV1.SvidReflection.Descriptor,
            BundleV1.BundleReflection.Descriptor,
        ];

        return files.SelectMany(f => f.Services).Single(s => s.FullName == fullName);
    }

    [Test]
    public void Files_Services_HaveTheSpireFullNames()
    {
        // Act
        var names = new[]
        {
            AgentV1.AgentReflection.Descriptor,
            EntryV1.EntryReflection.Descriptor,
            SvidV1.SvidReflection.Descriptor,
            BundleV1.BundleReflection.Descriptor,
        }.Select(f => f.Services.Single().FullName);

        // Assert
        Assert.That(names, Is.EqualTo(ServiceNames));
    }

    [TestCaseSource(nameof(ServiceNames))]
    public void Service_Methods_AreExactlyTheListedRpcsInOrder(string service)
    {
        // Arrange
        var expected = Methods.Cast<object[]>().Where(m => (string)m[0] == service).Select(m => (string)m[1]);

        // Act
        var actual = Service(service).Methods.Select(m => m.Name);

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Methods))]
    public void Method_Shape_MatchesReference(
        string service, string name, string request, string response, bool clientStreaming, bool serverStreaming)
    {
        // Act
        var method = Service(service).FindMethodByName(name);

        // Assert
        Assert.That(method, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(method.FullName, Is.EqualTo(service + "." + name));
            Assert.That(method.InputType.FullName, Is.EqualTo(request));
            Assert.That(method.OutputType.FullName, Is.EqualTo(response));
            Assert.That(method.IsClientStreaming, Is.EqualTo(clientStreaming));
            Assert.That(method.IsServerStreaming, Is.EqualTo(serverStreaming));
        }
    }
}
