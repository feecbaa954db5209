namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Outcome recorded with a request (<c>allow</c> / <c>deny</c>).</summary>
internal enum AuditDecision
{
    /// <summary><c>allow</c></summary>
    Allow,

    /// <summary><c>deny</c></summary>
    Deny,
}
