using System.CommandLine;
using Spiffe.Configuration;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>validate</c>: loads <c>-config</c> as <c>run</c> would and reports every problem it finds.</summary>
internal sealed class ValidateCommand : ServerCommand
{
    private readonly ServerConfigFlags flags = new();

    /// <summary>Creates the command.</summary>
    public ValidateCommand()
        : base("validate", "Validates a server configuration file")
    {
        this.flags.AddTo(this, withOverrides: false);
    }

    /// <inheritdoc/>
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var configuration = parseResult.InvocationConfiguration;
        try
        {
            this.flags.Load(parseResult);
        }
        catch (ConfigException ex)
        {
            await configuration.Error.WriteLineAsync("SPIFFE server configuration file is invalid:\n" + ex.Message);
            return ExitCodes.Failure;
        }

        await configuration.Output.WriteLineAsync("SPIFFE server configuration file is valid.");
        return ExitCodes.Success;
    }
}
