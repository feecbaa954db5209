using System.CommandLine;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// Base of every <c>spiffe-server</c> verb: wires the System.CommandLine action to <see cref="ExecuteAsync"/> and
/// turns a <see cref="CliException"/> into <c>Error: message</c> on stderr and <see cref="ExitCodes.Failure"/>.
/// </summary>
internal abstract class ServerCommand : Command
{
    /// <summary>Creates the command.</summary>
    /// <param name="name">The verb.</param>
    /// <param name="description">One line of help.</param>
    protected ServerCommand(string name, string description)
        : base(name, description)
    {
        this.SetAction(this.InvokeAsync);
    }

    /// <summary>Runs the command.</summary>
    /// <param name="parseResult">The parsed command line; its invocation configuration holds stdout and stderr.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl+C.</param>
    /// <returns>The exit code.</returns>
    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);

    private async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            return await this.ExecuteAsync(parseResult, cancellationToken);
        }
        catch (CliException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.Failure;
        }
    }
}
