namespace Spiffe.Agent.Tasks.Audit;

/// <summary>What an audit record is about (written as the snake_case names shown).</summary>
internal enum AuditEvent
{
    /// <summary><c>task_started</c></summary>
    TaskStarted,

    /// <summary><c>task_ended</c></summary>
    TaskEnded,

    /// <summary><c>process_adopted</c>: a running process joined an active task.</summary>
    ProcessAdopted,

    /// <summary><c>attestation</c></summary>
    Attestation,

    /// <summary><c>issue</c>: a credential was issued.</summary>
    Issue,

    /// <summary><c>denial</c>: a request was denied (policy or entry).</summary>
    Denial,

    /// <summary><c>revocation</c>: one credential went on the revocation list.</summary>
    Revocation,
}
