namespace Spiffe.Agent.Configuration;

/// <summary>The <c>telemetry { Prometheus { … } }</c> block: where <c>/metrics</c> is served.</summary>
/// <param name="Host">[<c>host</c>] The bind address; SPIRE's default is <c>localhost</c>.</param>
/// <param name="Port">[<c>port</c>] The TCP port (required).</param>
internal sealed record PrometheusSettings(string Host, int Port);
