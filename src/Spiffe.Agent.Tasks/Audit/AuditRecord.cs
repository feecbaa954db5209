using System.Text.RegularExpressions;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>
/// What happened, as the caller describes it; <see cref="AuditLog"/> adds sequence number, time and chain hashes.
/// There is deliberately no field for a token, a certificate or a key: credentials are identified only by
/// <see cref="Jti"/> or <see cref="Serial"/>, and <see cref="EnsureNoSecrets"/> rejects any value shaped like a JWT or
/// a PEM block.
/// </summary>
internal sealed partial record AuditRecord
{
    /// <summary>The event.</summary>
    public required AuditEvent Event { get; init; }

    /// <summary>Process ID of the workload (or task main process).</summary>
    public int? Pid { get; init; }

    /// <summary>Effective UID of the workload.</summary>
    public long? Uid { get; init; }

    /// <summary>Executable path of the workload.</summary>
    public string? Executable { get; init; }

    /// <summary>SHA-256 of the executable, lowercase hex.</summary>
    public string? ExecutableSha256 { get; init; }

    /// <summary>Cgroup of the workload or task.</summary>
    public string? Cgroup { get; init; }

    /// <summary>Task ID.</summary>
    public string? TaskId { get; init; }

    /// <summary>Parent task ID.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>SPIFFE ID requested or issued.</summary>
    public string? SpiffeId { get; init; }

    /// <summary>JWT audiences.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>JWT ID of an issued or revoked JWT.</summary>
    public string? Jti { get; init; }

    /// <summary>JWT ID of a Workload Proof Token the agent signed (then <see cref="Jti"/> is its WIT's).</summary>
    public string? ProofJti { get; init; }

    /// <summary>Serial number (hex) of an issued or revoked certificate.</summary>
    public string? Serial { get; init; }

    /// <summary>Lifetime of the credential or task, in seconds.</summary>
    public long? TtlSeconds { get; init; }

    /// <summary>API method of the request.</summary>
    public string? Method { get; init; }

    /// <summary>HTTP method of the request a proof was signed for.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>Declared intent of the request.</summary>
    public string? Intent { get; init; }

    /// <summary>Declared data class of the request.</summary>
    public string? DataClass { get; init; }

    /// <summary>Policy outcome.</summary>
    public AuditDecision? Decision { get; init; }

    /// <summary>Why: denial message, task end reason.</summary>
    public string? Reason { get; init; }

    /// <summary>Policies that decided, with the hash of each policy file.</summary>
    public IReadOnlyList<PolicyRef>? Policies { get; init; }

    /// <summary>Throws when any text field looks like a credential (JWT compact serialization, PEM block).</summary>
    /// <exception cref="ArgumentException">A field holds something shaped like a token or key.</exception>
    public void EnsureNoSecrets()
    {
        foreach (var (name, value) in TextFields())
        {
            if (value is not null && (JwtShape().IsMatch(value) || value.Contains("-----BEGIN", StringComparison.Ordinal)))
            {
                throw new ArgumentException($"audit field '{name}' looks like a token or key; audit records never hold credentials");
            }
        }
    }

    private IEnumerable<(string Name, string? Value)> TextFields()
    {
        yield return ("exe", Executable);
        yield return ("exe_sha256", ExecutableSha256);
        yield return ("cgroup", Cgroup);
        yield return ("task", TaskId);
        yield return ("parent_task", ParentTaskId);
        yield return ("spiffe_id", SpiffeId);
        yield return ("jti", Jti);
        yield return ("proof_jti", ProofJti);
        yield return ("serial", Serial);
        yield return ("method", Method);
        yield return ("http_method", HttpMethod);
        yield return ("intent", Intent);
        yield return ("data_class", DataClass);
        yield return ("reason", Reason);
        foreach (var audience in Audiences ?? [])
        {
            yield return ("audiences", audience);
        }

        foreach (var policy in Policies ?? [])
        {
            yield return ("policies", policy.Name);
        }
    }

    /// <summary>A JWS/JWE compact serialization: base64url JSON header ("eyJ…") followed by dot-separated segments.</summary>
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.", RegexOptions.CultureInvariant)]
    private static partial Regex JwtShape();
}
