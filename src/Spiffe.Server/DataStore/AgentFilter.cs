namespace Spiffe.Server.DataStore;

/// <summary>Filters for listing and counting attested agents; null = no filter.</summary>
internal sealed record AgentFilter
{
    /// <summary>No filtering.</summary>
    public static AgentFilter All { get; } = new();

    /// <summary>Agents attested with this attestation type.</summary>
    public string? ByAttestationType { get; init; }

    /// <summary>Node selectors to match with <see cref="SelectorMatch"/>.</summary>
    public IReadOnlyList<Selector>? BySelectors { get; init; }

    /// <summary>How <see cref="BySelectors"/> compares.</summary>
    public MatchBehavior SelectorMatch { get; init; } = MatchBehavior.Superset;

    /// <summary>Agents with this banned flag.</summary>
    public bool? ByBanned { get; init; }

    /// <summary>Agents with this can-reattest flag.</summary>
    public bool? ByCanReattest { get; init; }

    /// <summary>Agents whose current SVID expires before this Unix time (seconds).</summary>
    public long? ByExpiresBefore { get; init; }
}
