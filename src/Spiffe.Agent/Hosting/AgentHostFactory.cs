using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Spiffe.Agent.Attestation;
using Spiffe.Agent.Attestation.Attestors.Cgroup;
using Spiffe.Agent.Attestation.Attestors.Container;
using Spiffe.Agent.Attestation.Attestors.Systemd;
using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Attestation.Peer;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Configuration;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Agent.Endpoints.Wit;
using Spiffe.Agent.ServerApi;
using Spiffe.Agent.ServerApi.Wit;
using Spiffe.Agent.Tasks.Integration;

namespace Spiffe.Agent.Hosting;

/// <summary>
/// The composition root of <c>spiffe-agent run</c>: the back end (node attestation, sync, caches), the server client,
/// workload attestation, the Workload API endpoint (opened after the first sync) with WIT-SVIDs and the signing oracle
/// (served once the server publishes WIT authorities), task-bound identities (the <c>tasks</c>
/// block: leases, the <c>task</c> attestor, policy, audit, revocation, the admin socket), and the optional health-check
/// and Prometheus listeners, all in one generic host that stops on Ctrl+C or SIGTERM.
/// </summary>
internal static class AgentHostFactory
{
    /// <summary>The agent's version, sent to the server in PostStatus and logged at start.</summary>
    public static string Version { get; } =
        typeof(AgentHostFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Builds the host; nothing starts until the host does.</summary>
    public static IHost Build(AgentConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "spiffe-agent",
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        var services = builder.Services;
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        AgentLogging.Configure(builder.Logging, configuration.LogLevel, configuration.LogFormat);

        services.AddSingleton(TimeProvider.System);
        configuration.Agent.AgentVersion = Version;
        services.AddAgentCore(configuration.Agent);
        services.AddSpireServerApi();
        AddWorkloadAttestation(services, configuration);
        services.AddWorkloadEndpoint(configuration.Endpoint);
        services.AddWitServerApi();
        services.AddWitCore(new WitOptions());
        services.AddWitEndpoint();
        if (configuration.Tasks is { Enabled: true } tasks)
        {
            services.AddTaskIdentityCore(tasks.Identity);
            services.AddTaskServerApi();
            services.AddTasks(tasks.Tasks, tasks.Policy, tasks.Audit, configuration.Agent.TrustDomain);
            services.AddTaskEndpoints(tasks.Endpoint, tasks.Admin);
        }

        if (configuration.HealthChecks.ListenerEnabled)
        {
            services.AddSingleton(configuration.HealthChecks);
            services.AddHostedService<HealthCheckListener>();
        }

        if (configuration.Prometheus is { } prometheus)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(AgentMetrics.MeterName, AgentMetrics.MeterName + ".*")
                .AddPrometheusExporter());
            services.AddSingleton(prometheus);
            services.AddHostedService<PrometheusListener>();
        }

        return builder.Build();
    }

    private static void AddWorkloadAttestation(IServiceCollection services, AgentConfiguration configuration)
    {
        services.AddSingleton(ProcFileSystem.FromEnvironment());
        services.AddSingleton<IPeerTracker, LinuxPeerTracker>();
        services.AddSingleton(configuration.UnixAttestor);
        services.AddSingleton<WorkloadApiMetrics>();
        foreach (var kind in configuration.WorkloadAttestors)
        {
            services.AddSingleton<IWorkloadAttestor>(sp => new MeteredWorkloadAttestor(
                CreateAttestor(kind, sp),
                sp.GetRequiredService<WorkloadApiMetrics>(),
                sp.GetRequiredService<TimeProvider>()));
        }

        if (configuration.Tasks is { Enabled: true })
        {
            services.AddSingleton<IWorkloadAttestor>(sp => new MeteredWorkloadAttestor(
                sp.GetRequiredService<TaskWorkloadAttestor>(),
                sp.GetRequiredService<WorkloadApiMetrics>(),
                sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<IWorkloadAttestationService, WorkloadAttestationService>();
    }

    private static IWorkloadAttestor CreateAttestor(WorkloadAttestorKind kind, IServiceProvider services)
    {
        var proc = services.GetRequiredService<ProcFileSystem>();
        return kind switch
        {
            WorkloadAttestorKind.Unix => ActivatorUtilities.CreateInstance<UnixWorkloadAttestor>(services),
            WorkloadAttestorKind.Cgroup => new CgroupWorkloadAttestor(proc),
            WorkloadAttestorKind.Systemd => new SystemdWorkloadAttestor(proc),
            WorkloadAttestorKind.Container => new ContainerWorkloadAttestor(proc),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown workload attestor"),
        };
    }
}
