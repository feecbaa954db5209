namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Where and how the audit trail is written.</summary>
internal sealed class AuditOptions
{
    /// <summary>Directory of the audit files (created 0700 if missing).</summary>
    public string Directory { get; set; } = "/var/log/spiffe-agent";

    /// <summary>Name of the current file; rotated files get <c>.1</c>, <c>.2</c> … (higher is older).</summary>
    public string FileName { get; set; } = "audit.log";

    /// <summary>A file is rotated before a record would take it past this size.</summary>
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files kept, the current one included; the oldest is deleted on rotation.</summary>
    public int MaxFiles { get; set; } = 10;
}
