namespace Spiffe.Server.Tests.Cli;

/// <summary>What one in-process <c>spiffe-server</c> invocation printed and returned.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Stdout">Everything written to standard output.</param>
/// <param name="Stderr">Everything written to standard error.</param>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);
