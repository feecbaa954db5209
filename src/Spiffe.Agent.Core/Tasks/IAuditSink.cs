namespace Spiffe.Agent.Core.Tasks;

/// <summary>The tamper-evident audit trail, for the request path. Appends are durable when the call returns.</summary>
internal interface IAuditSink
{
    /// <summary>Appends one record.</summary>
    /// <exception cref="IOException">The record could not be written.</exception>
    void Append(AuditEntry entry);
}
