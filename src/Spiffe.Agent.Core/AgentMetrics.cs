using System.Diagnostics.Metrics;

namespace Spiffe.Agent.Core;

/// <summary>
/// The agent back end's instruments on <c>Meter("Spiffe.Agent")</c>; the composition root exports them. Cache gauges
/// are registered by the caches themselves on <see cref="Meter"/>.
/// </summary>
internal sealed class AgentMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Spiffe.Agent";

    private readonly Counter<long> _syncs;
    private readonly Counter<long> _x509SvidMints;
    private readonly Counter<long> _agentSvidRotations;
    private readonly Counter<long> _jwtSvidFetches;

    /// <summary>Creates the meter and its counters.</summary>
    public AgentMetrics()
    {
        Meter = new Meter(MeterName);
        _syncs = Meter.CreateCounter<long>("spiffe.agent.sync.count", description: "Entry and bundle syncs with the server, by result");
        _x509SvidMints = Meter.CreateCounter<long>("spiffe.agent.x509_svid.mints", description: "Workload X509-SVIDs requested from the server, by reason (new, rotation) and result");
        _agentSvidRotations = Meter.CreateCounter<long>("spiffe.agent.agent_svid.rotations", description: "Agent SVID renewals and attestations, by method and result");
        _jwtSvidFetches = Meter.CreateCounter<long>("spiffe.agent.jwt_svid.fetches", description: "JWT-SVIDs handed out, by source (cache, server, stale_cache) or failure");
    }

    /// <summary>The meter; caches add observable gauges to it.</summary>
    public Meter Meter { get; }

    /// <summary>Counts a sync round.</summary>
    public void RecordSync(bool success) => _syncs.Add(1, new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    /// <summary>Counts one X509-SVID mint outcome.</summary>
    public void RecordX509SvidMint(bool rotation, bool success) => _x509SvidMints.Add(
        1,
        new KeyValuePair<string, object?>("reason", rotation ? "rotation" : "new"),
        new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    /// <summary>Counts an agent SVID attestation or renewal.</summary>
    public void RecordAgentSvidRotation(string method, bool success) => _agentSvidRotations.Add(
        1,
        new KeyValuePair<string, object?>("method", method),
        new KeyValuePair<string, object?>("result", success ? "success" : "failure"));

    /// <summary>Counts a JWT-SVID hand-out by source.</summary>
    public void RecordJwtSvidFetch(string source) => _jwtSvidFetches.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary>Disposes the meter.</summary>
    public void Dispose() => Meter.Dispose();
}
