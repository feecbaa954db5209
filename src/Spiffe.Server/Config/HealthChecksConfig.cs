namespace Spiffe.Server.Config;

/// <summary>The <c>health_checks</c> block: an HTTP listener with liveness and readiness paths.</summary>
internal sealed record HealthChecksConfig
{
    /// <summary>Whether the HTTP listener runs.</summary>
    public bool ListenerEnabled { get; init; }

    /// <summary>Address to bind (default <c>localhost</c>).</summary>
    public string BindAddress { get; init; } = "localhost";

    /// <summary>Port (default 80).</summary>
    public int BindPort { get; init; } = 80;

    /// <summary>Liveness path (default <c>/live</c>).</summary>
    public string LivePath { get; init; } = "/live";

    /// <summary>Readiness path (default <c>/ready</c>).</summary>
    public string ReadyPath { get; init; } = "/ready";
}
