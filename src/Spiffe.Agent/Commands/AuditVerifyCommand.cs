using System.CommandLine;
using Spiffe.Agent.Tasks.Audit;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>audit verify &lt;file…&gt;</c>: checks the hash chain of audit files (oldest first) and prints the record count, or
/// the index, file and line of the first tampered record (exit 1).
/// </summary>
internal sealed class AuditVerifyCommand : AgentCommand
{
    private readonly Argument<string[]> _files = new("file") { Description = "Audit files, oldest first (audit.log.N … audit.log)", Arity = ArgumentArity.OneOrMore };

    /// <summary>Creates the command.</summary>
    public AuditVerifyCommand()
        : base("verify", "Verifies the hash chain of audit files")
    {
        Arguments.Add(_files);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var files = parseResult.GetValue(_files)!;
        AuditVerification result;
        try
        {
            result = AuditVerifier.Verify(files);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.Failure;
        }

        if (result.FirstProblem is { } problem)
        {
            await error.WriteLineAsync(
                $"Audit trail tampered: record {problem.Index} ({problem.File}, line {problem.Line}): {problem.Problem}: {problem.Message}");
            return ExitCodes.Failure;
        }

        var anchor = result.FirstSeq is > 0 ? $" (chain anchored at seq {result.FirstSeq}: older files not checked)" : string.Empty;
        await output.WriteLineAsync($"Audit trail verified: {result.RecordCount} records in {files.Length} file(s){anchor}");
        return ExitCodes.Success;
    }
}
