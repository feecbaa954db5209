using System.Runtime.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;
using Spiffe.Agent.Tasks.Revocation;
using Spiffe.Core;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary>Registers the task subsystem and its adapters to the Core interfaces.</summary>
[SupportedOSPlatform("linux")]
internal static class TaskServiceCollectionExtensions
{
    /// <summary>
    /// Registers the leases (<see cref="TaskManager"/>, <see cref="TaskMonitor"/>), the revocation list, the policy
    /// engine and its reloader, the audit log, and their Core faces: <see cref="ITaskDirectory"/>,
    /// <see cref="ITaskCredentialRecorder"/>, <see cref="IRevocationChecker"/>, <see cref="IRevocationFeed"/>,
    /// <see cref="IRequestPolicy"/>, <see cref="IAuditSink"/>, <see cref="ITaskControl"/>, plus the
    /// <see cref="TaskIdentityCoordinator"/> and the <see cref="TaskWorkloadAttestor"/>. Needs <c>AddAgentCore</c>,
    /// <c>AddTaskIdentityCore</c> and <c>AddTaskServerApi</c>. The options must have passed their validators.
    /// </summary>
    public static IServiceCollection AddTasks(
        this IServiceCollection services, TaskOptions tasks, PolicyOptions policies, AuditOptions audit, TrustDomain trustDomain)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(audit);
        services.AddSingleton(Options.Create(tasks));
        services.AddSingleton(Options.Create(policies));
        services.AddSingleton(Options.Create(audit));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<RevocationList>();
        services.AddSingleton<TaskManager>();
        services.AddSingleton<PolicyEngine>();
        services.AddHostedService<TaskMonitor>();
        services.AddHostedService<PolicyReloader>();
        services.AddSingleton(sp => new TaskIdentities(sp.GetRequiredService<TaskIdentityOptions>(), trustDomain));
        services.AddSingleton<ITaskDirectory, TaskDirectory>();
        services.AddSingleton<ITaskCredentialRecorder, TaskCredentialRecorder>();
        services.AddSingleton<RevocationAdapter>();
        services.AddSingleton<IRevocationChecker>(sp => sp.GetRequiredService<RevocationAdapter>());
        services.AddSingleton<IRevocationFeed>(sp => sp.GetRequiredService<RevocationAdapter>());
        services.AddSingleton<IRequestPolicy, RequestPolicyAdapter>();
        services.AddSingleton<IAuditSink, AuditSinkAdapter>();
        services.AddSingleton<TaskControl>();
        services.AddSingleton<ITaskControl>(sp => sp.GetRequiredService<TaskControl>());
        services.AddSingleton<TaskWorkloadAttestor>();
        services.AddHostedService<TaskIdentityCoordinator>();
        return services;
    }
}
