using Grpc.Core;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class UnimplementedTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    [Test]
    public async Task FetchWitSvid_WitNotConfigured_Unimplemented()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchWitSvid();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task FetchWitBundles_WitNotConfigured_Unimplemented()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        using var call = client.FetchWitBundles();
        var ex = Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task UnknownMethod_Called_Unimplemented()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();
        var method = new Method<string, string>(MethodType.Unary, "SpiffeWorkloadAPI", "FetchEverything", Marshallers.StringMarshaller, Marshallers.StringMarshaller);

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.Invoker.AsyncUnaryCall(method, null, new CallOptions(WorkloadApiTestClient.SecurityHeader), "x").ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }
}
