namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Where the audit trail first fails verification.</summary>
/// <param name="Index">0-based index of the record across all verified files.</param>
/// <param name="File">The file holding it.</param>
/// <param name="Line">1-based line in that file.</param>
/// <param name="Problem">What is wrong.</param>
/// <param name="Message">A sentence for operators.</param>
internal sealed record AuditTamper(long Index, string File, int Line, AuditProblem Problem, string Message);
