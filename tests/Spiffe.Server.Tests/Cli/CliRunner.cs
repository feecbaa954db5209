using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spiffe.Server.Cli;
using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Tests.Cli;

/// <summary>
/// Runs <c>spiffe-server</c> commands in-process the way <c>Program</c> does (DI-built root command, the CLI's parser
/// settings), with standard input, output and error captured.
/// </summary>
public static class CliRunner
{
    /// <summary>How long one command may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Parses and invokes a command line.</summary>
    /// <param name="args">The arguments after <c>spiffe-server</c>.</param>
    /// <returns>Exit code and captured output.</returns>
    public static Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    /// <summary>Parses and invokes a command line with the given standard input.</summary>
    /// <param name="stdin">The text standard input yields.</param>
    /// <param name="args">The arguments after <c>spiffe-server</c>.</param>
    /// <returns>Exit code and captured output.</returns>
    public static Task<CliResult> RunWithInputAsync(string stdin, params string[] args) => RunAsync(stdin, CancellationToken.None, args);

    /// <summary>Parses and invokes a command line until it ends or <paramref name="cancellationToken"/> fires (as Ctrl+C would).</summary>
    /// <param name="stdin">The text standard input yields.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <param name="args">The arguments after <c>spiffe-server</c>.</param>
    /// <returns>Exit code and captured output.</returns>
    public static async Task<CliResult> RunAsync(string stdin, CancellationToken cancellationToken, params string[] args)
    {
        var services = new ServiceCollection();
        services.AddServerCli(new StandardInput(() => new StringReader(stdin)));
        await using var provider = services.BuildServiceProvider();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = provider.GetRequiredService<RootCommand>();
        var exitCode = await root.Parse(args, CliParser.Configuration)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken)
            .WaitAsync(cancellationToken.CanBeCanceled ? Timeout + Timeout : Timeout);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
