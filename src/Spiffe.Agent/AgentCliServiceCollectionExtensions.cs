using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Spiffe.Agent.Commands;

namespace Spiffe.Agent;

/// <summary>Registers the <c>spiffe-agent</c> command tree.</summary>
internal static class AgentCliServiceCollectionExtensions
{
    /// <summary>Registers every verb and the root command that holds them.</summary>
    public static IServiceCollection AddAgentCli(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RunCommand>();
        services.AddSingleton<ValidateCommand>();
        services.AddSingleton<HealthcheckCommand>();
        services.AddSingleton<ApiFetchX509Command>();
        services.AddSingleton<ApiFetchJwtCommand>();
        services.AddSingleton<ApiFetchCommand>();
        services.AddSingleton<ApiValidateJwtCommand>();
        services.AddSingleton<ApiValidateCommand>();
        services.AddSingleton<ApiWatchCommand>();
        services.AddSingleton<ApiCommand>();
        services.AddSingleton<TaskRunCommand>();
        services.AddSingleton<TaskListCommand>();
        services.AddSingleton<TaskShowCommand>();
        services.AddSingleton<TaskEndCommand>();
        services.AddSingleton<TaskCommand>();
        services.AddSingleton<AuditVerifyCommand>();
        services.AddSingleton<AuditCommand>();
        services.AddSingleton<SidecarCommand>();
        services.AddSingleton(sp =>
        {
            var root = new RootCommand("spiffe-agent: a SPIFFE workload identity agent compatible with SPIRE");
            root.Subcommands.Add(sp.GetRequiredService<RunCommand>());
            root.Subcommands.Add(sp.GetRequiredService<ValidateCommand>());
            root.Subcommands.Add(sp.GetRequiredService<HealthcheckCommand>());
            root.Subcommands.Add(sp.GetRequiredService<ApiCommand>());
            root.Subcommands.Add(sp.GetRequiredService<TaskCommand>());
            root.Subcommands.Add(sp.GetRequiredService<AuditCommand>());
            root.Subcommands.Add(sp.GetRequiredService<SidecarCommand>());
            return root;
        });
        return services;
    }
}
