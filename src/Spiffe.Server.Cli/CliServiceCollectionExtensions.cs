using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spiffe.Server.Cli.Commands;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli;

/// <summary>Registers the <c>spiffe-server</c> command tree; resolve <see cref="RootCommand"/> to run it.</summary>
internal static class CliServiceCollectionExtensions
{
    /// <summary>Adds every command and what they need.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="standardInput">Where <c>-data -</c> and <c>bundle set</c> read standard input from.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddServerCli(this IServiceCollection services, StandardInput standardInput)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(standardInput);
        services.AddSingleton<EntryCreateCommand>();
        services.AddSingleton<EntryShowCommand>();
        services.AddSingleton<EntryUpdateCommand>();
        services.AddSingleton<EntryDeleteCommand>();
        services.AddSingleton<EntryCountCommand>();
        services.AddSingleton<EntryCommand>();
        services.AddSingleton<AgentListCommand>();
        services.AddSingleton<AgentShowCommand>();
        services.AddSingleton<AgentCountCommand>();
        services.AddSingleton<AgentEvictCommand>();
        services.AddSingleton<AgentBanCommand>();
        services.AddSingleton<AgentCommand>();
        services.AddSingleton<BundleShowCommand>();
        services.AddSingleton<BundleListCommand>();
        services.AddSingleton<BundleSetCommand>();
        services.AddSingleton<BundleDeleteCommand>();
        services.AddSingleton<BundleCountCommand>();
        services.AddSingleton<BundleCommand>();
        services.AddSingleton<TokenGenerateCommand>();
        services.AddSingleton<TokenCommand>();
        services.AddSingleton<HealthcheckCommand>();
        services.AddSingleton<RunCommand>();
        services.AddSingleton<ValidateCommand>();
        services.AddSingleton(sp =>
        {
            var root = new RootCommand("spiffe-server: a SPIRE-compatible SPIFFE server and its operator CLI");
            root.Subcommands.Add(sp.GetRequiredService<RunCommand>());
            root.Subcommands.Add(sp.GetRequiredService<EntryCommand>());
            root.Subcommands.Add(sp.GetRequiredService<AgentCommand>());
            root.Subcommands.Add(sp.GetRequiredService<BundleCommand>());
            root.Subcommands.Add(sp.GetRequiredService<TokenCommand>());
            root.Subcommands.Add(sp.GetRequiredService<HealthcheckCommand>());
            root.Subcommands.Add(sp.GetRequiredService<ValidateCommand>());
            return root;
        });
        return services;
    }
}
