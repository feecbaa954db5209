using Spiffe.Agent.Core.Wit;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>The SPIFFE IDs of WIT identities for a log line, formatted only when the line is written (never tokens or keys).</summary>
internal readonly struct WitSpiffeIdList
{
    private readonly IReadOnlyList<WitIdentity> _identities;

    /// <summary>Lists the SPIFFE IDs of these identities.</summary>
    public WitSpiffeIdList(IReadOnlyList<WitIdentity> identities) => _identities = identities;

    /// <summary>The IDs, comma-separated.</summary>
    public override string ToString() => string.Join(",", (_identities ?? []).Select(i => i.Entry.SpiffeId));
}
