using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class HealthAndReflectionTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    [Test]
    public async Task Check_CallerHasIdentity_Serving()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Cache.Publish(Domain.Update(Domain.Identity("e1", "/w")));
        var client = harness.CreateClient();

        // Act
        var response = await client.Health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        Assert.That(harness.Attestation.Calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Check_NoIdentity_ServingBecausePermissionDeniedIsHealthy()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var response = await client.Health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public async Task Check_AttestationFails_NotServing()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        harness.Attestation.Result = _ => WorkloadAttestationResult.AttestationFailed();
        var client = harness.CreateClient();

        // Act
        var response = await client.Health.CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(response.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.NotServing));
        Assert.That(harness.Logs.Events.Select(e => e.EventName), Does.Contain("HealthCheckFailed"));
    }

    [Test]
    public async Task Check_NamedService_InvalidArgument()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(() => client.Health.CheckAsync(new HealthCheckRequest { Service = "SpiffeWorkloadAPI" }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task Reflection_ListServices_IncludesWorkloadApiAndHealth()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();
        var reflection = new ServerReflection.ServerReflectionClient(client.Channel);

        // Act
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        // Assert
        Assert.That(services, Does.Contain("SpiffeWorkloadAPI"));
        Assert.That(services, Does.Contain("grpc.health.v1.Health"));
        Assert.That(harness.Attestation.Calls, Is.Zero);
    }

    [Test]
    public async Task Reflection_FileContainingSymbol_DescribesWorkloadApi()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var client = harness.CreateClient();
        var reflection = new ServerReflection.ServerReflectionClient(client.Channel);

        // Act
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "SpiffeWorkloadAPI" }).DefaultTimeout();
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        Assert.That(await call.ResponseStream.MoveNext().DefaultTimeout(), Is.True);
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(b => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(b))
            .ToList();

        // Assert
        var workload = files.Single(f => f.Service.Any(s => s.Name == "SpiffeWorkloadAPI"));
        Assert.That(workload.Package, Is.Empty);
        Assert.That(workload.Service.Single().Method.Select(m => m.Name), Does.Contain("FetchX509SVID"));
    }
}
