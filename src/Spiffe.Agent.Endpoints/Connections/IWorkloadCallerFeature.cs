using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Connections;

/// <summary>
/// The caller of one Workload API connection, tracked once when Kestrel accepted it. Set on the connection's
/// features by <see cref="CallerTrackingMiddleware"/>, so every request on the connection sees the same watcher.
/// </summary>
internal interface IWorkloadCallerFeature
{
    /// <summary>The watcher of the process that connected (owned by the connection; do not dispose).</summary>
    ICallerWatcher Watcher { get; }

    /// <summary>
    /// Closes the connection gracefully: no new requests are accepted, calls in flight finish with their status and
    /// then the connection is closed (HTTP/2 GOAWAY).
    /// </summary>
    void CloseConnection();
}
