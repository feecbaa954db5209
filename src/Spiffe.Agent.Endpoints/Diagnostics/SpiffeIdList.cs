using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Endpoints.Diagnostics;

/// <summary>The SPIFFE IDs of issued SVIDs for a log line, formatted only when the line is written (never keys or tokens).</summary>
internal readonly struct SpiffeIdList
{
    private readonly IReadOnlyList<WorkloadIdentity>? _identities;
    private readonly IReadOnlyList<IssuedJwtSvid>? _jwtSvids;

    /// <summary>Lists the SPIFFE IDs of X509 identities.</summary>
    public SpiffeIdList(IReadOnlyList<WorkloadIdentity> identities) => _identities = identities;

    /// <summary>Lists the SPIFFE IDs of JWT-SVIDs.</summary>
    public SpiffeIdList(IReadOnlyList<IssuedJwtSvid> jwtSvids) => _jwtSvids = jwtSvids;

    /// <summary>The IDs, comma-separated.</summary>
    public override string ToString() =>
        _identities is not null
            ? string.Join(",", _identities.Select(i => i.Entry.SpiffeId))
            : string.Join(",", (_jwtSvids ?? []).Select(s => s.SpiffeId));
}
