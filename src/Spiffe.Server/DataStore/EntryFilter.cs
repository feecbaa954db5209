using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>Filters for listing and counting entries; every set member must match (AND). Null = no filter.</summary>
internal sealed record EntryFilter
{
    /// <summary>No filtering.</summary>
    public static EntryFilter All { get; } = new();

    /// <summary>Entries with exactly this SPIFFE ID.</summary>
    public SpiffeId? BySpiffeId { get; init; }

    /// <summary>Entries with exactly this parent ID.</summary>
    public SpiffeId? ByParentId { get; init; }

    /// <summary>Selectors to match with <see cref="SelectorMatch"/>.</summary>
    public IReadOnlyList<Selector>? BySelectors { get; init; }

    /// <summary>How <see cref="BySelectors"/> compares.</summary>
    public MatchBehavior SelectorMatch { get; init; } = MatchBehavior.Superset;

    /// <summary>Trust domain names to match with <see cref="FederatesWithMatch"/>.</summary>
    public IReadOnlyList<string>? ByFederatesWith { get; init; }

    /// <summary>How <see cref="ByFederatesWith"/> compares.</summary>
    public MatchBehavior FederatesWithMatch { get; init; } = MatchBehavior.Superset;

    /// <summary>Entries with exactly this hint.</summary>
    public string? ByHint { get; init; }

    /// <summary>Entries with this downstream flag.</summary>
    public bool? ByDownstream { get; init; }
}
