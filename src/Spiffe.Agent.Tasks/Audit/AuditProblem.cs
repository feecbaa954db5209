namespace Spiffe.Agent.Tasks.Audit;

/// <summary>What is wrong with the first bad record.</summary>
internal enum AuditProblem
{
    /// <summary>Not a sealed JSON record (torn, truncated, or not JSON).</summary>
    Malformed,

    /// <summary>Its content does not match its own hash: the record was edited.</summary>
    Modified,

    /// <summary>It does not chain to the record before it: a record was removed, inserted or reordered here.</summary>
    ChainBroken,
}
