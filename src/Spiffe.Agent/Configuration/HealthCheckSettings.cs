namespace Spiffe.Agent.Configuration;

/// <summary>The <c>health_checks</c> block: an HTTP listener with liveness and readiness paths (SPIRE defaults).</summary>
internal sealed record HealthCheckSettings
{
    /// <summary>[<c>listener_enabled</c>] Serve the paths at all. Default false.</summary>
    public bool ListenerEnabled { get; init; }

    /// <summary>[<c>bind_address</c>] Default <c>localhost</c>.</summary>
    public string BindAddress { get; init; } = "localhost";

    /// <summary>[<c>bind_port</c>] Default 80.</summary>
    public int BindPort { get; init; } = 80;

    /// <summary>[<c>live_path</c>] Default <c>/live</c>.</summary>
    public string LivePath { get; init; } = "/live";

    /// <summary>[<c>ready_path</c>] Default <c>/ready</c>.</summary>
    public string ReadyPath { get; init; } = "/ready";
}
