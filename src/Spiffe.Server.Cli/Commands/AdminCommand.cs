using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Client;
using Spiffe.Server.Cli.Output;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// Base of the verbs that call the server's admin API: adds <c>-socketPath</c> and <c>-output</c>, opens the
/// channel, and reports a failed call the way spire-server does (<c>Error: rpc error: code = … desc = …</c>).
/// </summary>
internal abstract class AdminCommand : ServerCommand
{
    private readonly Option<string> socketPathOption = new("-socketPath", "--socketPath")
    {
        Description = "Path to the SPIFFE server API socket",
        DefaultValueFactory = _ => AdminChannel.DefaultSocketPath,
    };

    private readonly Option<string> outputOption = new("-output", "--output")
    {
        Description = "Desired output format (pretty, json)",
        DefaultValueFactory = _ => "pretty",
    };

    /// <summary>Creates the command.</summary>
    /// <param name="name">The verb.</param>
    /// <param name="description">One line of help.</param>
    protected AdminCommand(string name, string description)
        : base(name, description)
    {
        this.outputOption.AcceptOnlyFromAmong("pretty", "json");
        this.Options.Add(this.socketPathOption);
        this.Options.Add(this.outputOption);
    }

    /// <summary>Describes a failed call as Go's gRPC status does.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns><c>rpc error: code = Code desc = detail</c>.</returns>
    public static string Describe(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"rpc error: code = {exception.StatusCode} desc = {exception.Status.Detail}";
    }

    /// <inheritdoc/>
    protected sealed override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var configuration = parseResult.InvocationConfiguration;
        var format = parseResult.GetValue(this.outputOption) == "json" ? OutputFormat.Json : OutputFormat.Pretty;
        var output = new CommandOutput(configuration.Output, configuration.Error, format);
        using var channel = AdminChannel.Create(parseResult.GetRequiredValue(this.socketPathOption));
        try
        {
            return await this.RunAsync(parseResult, channel, output, cancellationToken);
        }
        catch (RpcException ex)
        {
            await output.Error.WriteLineAsync("Error: " + this.DescribeFailure(ex));
            return ExitCodes.Failure;
        }
    }

    /// <summary>Runs the verb against the server.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="channel">The admin channel.</param>
    /// <param name="output">Where to print.</param>
    /// <param name="cancellationToken">Cancelled on Ctrl+C.</param>
    /// <returns>The exit code.</returns>
    protected abstract Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken);

    /// <summary>The message printed after <c>Error: </c> when a call fails; verbs may add context.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The message.</returns>
    protected virtual string DescribeFailure(RpcException exception) => Describe(exception);
}
