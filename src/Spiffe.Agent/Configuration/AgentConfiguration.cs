using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Core;
using Spiffe.Agent.Endpoints;

namespace Spiffe.Agent.Configuration;

/// <summary>Everything <c>spiffe-agent run</c> needs, bound from <c>agent.conf</c> and the command-line overrides.</summary>
internal sealed class AgentConfiguration
{
    /// <summary>The back end's options (validated).</summary>
    public required AgentOptions Agent { get; init; }

    /// <summary>The Workload API endpoint's options.</summary>
    public required WorkloadEndpointOptions Endpoint { get; init; }

    /// <summary>
    /// [<c>admin_socket_path</c>] The admin socket; served (with the <c>Tasks</c> service) when task-bound identities
    /// are enabled, otherwise accepted for compatibility only.
    /// </summary>
    public string? AdminSocketPath { get; init; }

    /// <summary>The <c>tasks</c> block; null when absent.</summary>
    public TaskSettings? Tasks { get; init; }

    /// <summary>[<c>log_level</c>].</summary>
    public AgentLogLevel LogLevel { get; init; } = AgentLogLevel.Info;

    /// <summary>[<c>log_format</c>].</summary>
    public AgentLogFormat LogFormat { get; init; } = AgentLogFormat.Text;

    /// <summary>The enabled workload attestors, in configuration order (at least one).</summary>
    public required IReadOnlyList<WorkloadAttestorKind> WorkloadAttestors { get; init; }

    /// <summary>The <c>unix</c> attestor's <c>plugin_data</c>.</summary>
    public UnixAttestorOptions UnixAttestor { get; init; } = new();

    /// <summary>The <c>health_checks</c> block.</summary>
    public HealthCheckSettings HealthChecks { get; init; } = new();

    /// <summary>The Prometheus sink, when configured.</summary>
    public PrometheusSettings? Prometheus { get; init; }
}
