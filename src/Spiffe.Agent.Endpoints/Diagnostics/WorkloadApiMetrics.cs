using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace Spiffe.Agent.Endpoints.Diagnostics;

/// <summary>
/// The Workload API's instruments, on the meter <see cref="MeterName"/> (SPIRE's <c>rpc.workload_api.*</c>,
/// <c>workload_api.connection(s)</c> and <c>workload_api.workload_attestation</c>/<c>workload_attestor</c>). The
/// agent's own health-check calls are not counted, as in SPIRE.
/// </summary>
internal sealed class WorkloadApiMetrics
{
    /// <summary>The meter name; the agent exports every meter whose name starts with <c>Spiffe.Agent</c>.</summary>
    public const string MeterName = "Spiffe.Agent.WorkloadApi";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _callDuration;
    private readonly Histogram<double> _firstResponse;
    private readonly Counter<long> _attestations;
    private readonly Histogram<double> _attestationDuration;
    private readonly Counter<long> _attestorCalls;
    private readonly Histogram<double> _attestorDuration;
    private readonly Counter<long> _connections;
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _rejectedConnections;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public WorkloadApiMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>(
            "spiffe_agent.workload_api.calls", "{call}", "Workload API calls by method and final gRPC status");
        _callDuration = meter.CreateHistogram<double>(
            "spiffe_agent.workload_api.call.duration", "s", "Duration of Workload API calls (whole stream for streaming calls)");
        _firstResponse = meter.CreateHistogram<double>(
            "spiffe_agent.workload_api.stream.first_response.duration", "s", "Time from a streaming call's start to its first message");
        _attestations = meter.CreateCounter<long>(
            "spiffe_agent.workload_api.workload_attestations", "{attestation}", "Workload attestations by outcome");
        _attestationDuration = meter.CreateHistogram<double>(
            "spiffe_agent.workload_api.workload_attestation.duration", "s", "Duration of workload attestation (all attestors)");
        _attestorCalls = meter.CreateCounter<long>(
            "spiffe_agent.workload_api.workload_attestor.calls", "{call}", "Workload attestor runs by attestor and outcome");
        _attestorDuration = meter.CreateHistogram<double>(
            "spiffe_agent.workload_api.workload_attestor.duration", "s", "Duration of one workload attestor run");
        _connections = meter.CreateCounter<long>(
            "spiffe_agent.workload_api.connections", "{connection}", "Workload API connections accepted");
        _activeConnections = meter.CreateUpDownCounter<long>(
            "spiffe_agent.workload_api.active_connections", "{connection}", "Workload API connections open now");
        _rejectedConnections = meter.CreateCounter<long>(
            "spiffe_agent.workload_api.rejected_connections", "{connection}", "Connections closed because the caller could not be tracked");
    }

    /// <summary>Records a finished call.</summary>
    public void CallCompleted(string method, StatusCode status, TimeSpan elapsed)
    {
        var tags = new TagList { { "method", method }, { "status", status.ToString() } };
        _calls.Add(1, tags);
        _callDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records the time to a streaming call's first message.</summary>
    public void FirstResponseSent(string method, TimeSpan elapsed) =>
        _firstResponse.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("method", method));

    /// <summary>Records a workload attestation; <paramref name="outcome"/> is <c>succeeded</c>, <c>failed</c> or <c>caller_gone</c>.</summary>
    public void Attested(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _attestations.Add(1, tag);
        _attestationDuration.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>Records one run of one workload attestor.</summary>
    public void AttestorRan(string attestor, bool succeeded, TimeSpan elapsed)
    {
        var tags = new TagList { { "attestor", attestor }, { "outcome", succeeded ? "succeeded" : "failed" } };
        _attestorCalls.Add(1, tags);
        _attestorDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>Records an accepted, tracked connection.</summary>
    public void ConnectionOpened()
    {
        _connections.Add(1);
        _activeConnections.Add(1);
    }

    /// <summary>Records the end of a tracked connection.</summary>
    public void ConnectionClosed() => _activeConnections.Add(-1);

    /// <summary>Records a connection closed because its caller could not be tracked.</summary>
    public void ConnectionRejected() => _rejectedConnections.Add(1);
}
