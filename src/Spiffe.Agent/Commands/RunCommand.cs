using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Agent.Hosting;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>run</c>: starts the agent with a SPIRE-format <c>agent.conf</c> and the flags that override it, and runs until
/// Ctrl+C or SIGTERM (a clean stop exits 0) or until the agent must exit (banned, attestation refused…).
/// </summary>
internal sealed class RunCommand : AgentCommand
{
    private readonly ConfigOptions _config = new();

    /// <summary>Creates the command.</summary>
    public RunCommand()
        : base("run", "Runs the agent")
    {
        _config.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var configuration = await _config.TryLoadAsync(parseResult, error);
        if (configuration is null)
        {
            return ExitCodes.InvalidConfiguration;
        }

        using var host = AgentHostFactory.Build(configuration);
        var logger = host.Services.GetRequiredService<ILogger<RunCommand>>();
        var agent = configuration.Agent;
        var dataDirectory = Path.GetFullPath(agent.DataDirectory);
        AgentLog.AgentStarting(logger, AgentHostFactory.Version, agent.TrustDomain.Name, agent.ServerAddress, agent.ServerPort, dataDirectory);
        if (configuration.AdminSocketPath is { Length: > 0 } adminSocketPath && configuration.Tasks is not { Enabled: true })
        {
            AgentLog.AdminApiNotServed(logger, adminSocketPath);
        }

        // RunAsync disposes the host's services: take what is inspected afterwards first.
        var startup = host.Services.GetRequiredService<IAgentStartup>();
        var endpoint = host.Services.GetRequiredService<WorkloadEndpointHostedService>();
        try
        {
            await host.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.StartupFailure;
        }

        AgentLog.AgentStopped(logger);
        if (startup.MustExit.IsCompletedSuccessfully)
        {
            var request = await startup.MustExit;
            await error.WriteLineAsync("Error: " + request.Message);
            return ExitCodes.AgentMustExit;
        }

        if (endpoint.Listening.IsFaulted)
        {
            await error.WriteLineAsync("Error: " + endpoint.Listening.Exception!.InnerException!.Message);
            return ExitCodes.StartupFailure;
        }

        return ExitCodes.Success;
    }
}
