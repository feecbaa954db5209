using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;

namespace Spiffe.Agent.Endpoints.Tests;

[TestFixture]
public sealed class MetricsTests
{
    private static readonly TestTrustDomain Domain = new("example.org");

    [Test]
    public async Task Calls_Completed_CountedByMethodAndStatus()
    {
        // Arrange
        await using var harness = await EndpointHarness.StartAsync(Domain);
        var recorded = new ConcurrentQueue<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == WorkloadApiMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            recorded.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
        var client = harness.CreateClient();

        // Act
        using (var call = client.FetchX509Svid())
        {
            Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());
        }

        using (var call = client.FetchX509Svid(new Metadata()))
        {
            Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().DefaultTimeout());
        }

        // Assert
        var calls = recorded.Where(r => r.Instrument == "spiffe_agent.workload_api.calls").Select(r => r.Tags).ToList();
        Assert.That(calls, Is.EquivalentTo(new[]
        {
            "method=FetchX509SVID,status=PermissionDenied",
            "method=FetchX509SVID,status=InvalidArgument",
        }));
        Assert.That(recorded.Count(r => r.Instrument == "spiffe_agent.workload_api.workload_attestations"), Is.EqualTo(1));
        Assert.That(recorded.Count(r => r.Instrument == "spiffe_agent.workload_api.connections"), Is.EqualTo(1));
    }
}
