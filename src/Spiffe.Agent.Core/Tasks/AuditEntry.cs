namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// One request-side audit record. There is no field for a token, certificate or key: credentials are named only by
/// <see cref="Jti"/> or <see cref="Serial"/>.
/// </summary>
internal sealed record AuditEntry
{
    /// <summary>The event.</summary>
    public required AuditEntryKind Kind { get; init; }

    /// <summary>The caller.</summary>
    public required WorkloadDescription Workload { get; init; }

    /// <summary>The caller's task, or null.</summary>
    public TaskIdentity? Task { get; init; }

    /// <summary>The request, or null for an attestation record.</summary>
    public RequestDescription? Request { get; init; }

    /// <summary>The SPIFFE ID issued (or requested).</summary>
    public string? SpiffeId { get; init; }

    /// <summary>The <c>jti</c> of an issued JWT-SVID.</summary>
    public string? Jti { get; init; }

    /// <summary>
    /// The <c>jti</c> of a Workload Proof Token the signing oracle made (<c>CreateProof</c>); <see cref="Jti"/> then names
    /// the WIT-SVID it proves.
    /// </summary>
    public string? ProofJti { get; init; }

    /// <summary>The HTTP method of the request a proof was made for (<c>CreateProof</c>), as the caller declared it.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>The serial number of an issued X509-SVID.</summary>
    public string? Serial { get; init; }

    /// <summary>The issued credential's lifetime in whole seconds.</summary>
    public long? TtlSeconds { get; init; }

    /// <summary>Allowed (true), denied (false) or not a decision (null).</summary>
    public bool? Allowed { get; init; }

    /// <summary>The denial message.</summary>
    public string? Reason { get; init; }

    /// <summary>The policies that decided.</summary>
    public IReadOnlyList<PolicyReference>? Policies { get; init; }
}
