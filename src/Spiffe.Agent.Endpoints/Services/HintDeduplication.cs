using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// SPIRE's ordering and hint rules for a response: identities ordered by entry ID (ordinal), and among identities
/// sharing a non-empty hint only the oldest entry (<see cref="RegistrationEntry.CreatedAt"/>, then the smaller entry
/// ID) is kept, so clients never see two SVIDs with one hint.
/// </summary>
internal static class HintDeduplication
{
    /// <summary>Applies the rules to X509 identities.</summary>
    public static IReadOnlyList<WorkloadIdentity> Apply(IReadOnlyList<WorkloadIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count <= 1)
        {
            return identities;
        }

        var winners = new Dictionary<string, RegistrationEntry>(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            var entry = identity.Entry;
            if (entry.Hint.Length == 0)
            {
                continue;
            }

            if (!winners.TryGetValue(entry.Hint, out var current) || IsOlder(entry, current))
            {
                winners[entry.Hint] = entry;
            }
        }

        return identities
            .Where(i => i.Entry.Hint.Length == 0 || ReferenceEquals(winners[i.Entry.Hint], i.Entry))
            .OrderBy(i => i.Entry.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Keeps the first JWT-SVID per non-empty hint (the cache returns them ordered and already de-duplicated).</summary>
    public static IReadOnlyList<IssuedJwtSvid> Apply(IReadOnlyList<IssuedJwtSvid> svids)
    {
        ArgumentNullException.ThrowIfNull(svids);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return svids.Where(s => s.Hint.Length == 0 || seen.Add(s.Hint)).ToList();
    }

    private static bool IsOlder(RegistrationEntry candidate, RegistrationEntry current) =>
        candidate.CreatedAt < current.CreatedAt
        || (candidate.CreatedAt == current.CreatedAt && string.CompareOrdinal(candidate.Id, current.Id) < 0);
}
