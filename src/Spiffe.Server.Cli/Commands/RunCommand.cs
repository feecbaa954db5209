using System.CommandLine;
using Spiffe.Configuration;
using Spiffe.Server.Config;
using Spiffe.Server.Hosting;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// <c>run</c>: loads <c>-config</c> (SPIRE <c>server.conf</c> format), applies the flag overrides, and runs the server
/// until SIGINT or SIGTERM.
/// </summary>
internal sealed class RunCommand : ServerCommand
{
    private readonly ServerConfigFlags flags = new();

    /// <summary>Creates the command.</summary>
    public RunCommand()
        : base("run", "Runs the server")
    {
        this.flags.AddTo(this, withOverrides: true);
    }

    /// <inheritdoc/>
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        ServerConfig config;
        try
        {
            config = this.flags.Load(parseResult);
        }
        catch (ConfigException ex)
        {
            await error.WriteLineAsync("Error: invalid configuration:\n" + ex.Message);
            return ExitCodes.StartupFailure;
        }

        try
        {
            await ServerHost.RunAsync(config, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.StartupFailure;
        }

        return ExitCodes.Success;
    }
}
