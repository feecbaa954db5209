using Google.Protobuf.Collections;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Server.DataStore;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Converts the Entry and Agent API filters to datastore filters. A malformed filter fails the call with
/// <c>InvalidArgument</c> naming the filter (<c>malformed selectors filter: …</c>), as SPIRE words it.
/// </summary>
internal static class FilterConverter
{
    /// <summary>Converts an entry filter (the List and Count requests carry the same fields).</summary>
    /// <param name="bySpiffeId">Only entries with this SPIFFE ID.</param>
    /// <param name="byParentId">Only entries with this parent ID.</param>
    /// <param name="bySelectors">Selector match.</param>
    /// <param name="byFederatesWith">Federates-with match.</param>
    /// <param name="byHint">Only entries with this hint.</param>
    /// <param name="byDownstream">Only entries with this downstream flag.</param>
    /// <returns>The datastore filter.</returns>
    /// <exception cref="RpcException"><c>InvalidArgument</c>: a filter is malformed.</exception>
    public static EntryFilter ToEntryFilter(
        Types.SPIFFEID? bySpiffeId,
        Types.SPIFFEID? byParentId,
        Types.SelectorMatch? bySelectors,
        Types.FederatesWithMatch? byFederatesWith,
        string? byHint,
        bool? byDownstream)
    {
        var filter = new EntryFilter
        {
            ByParentId = byParentId is null ? null : Parse(() => IdConverter.FromProto(byParentId), "malformed parent ID filter"),
            BySpiffeId = bySpiffeId is null ? null : Parse(() => IdConverter.FromProto(bySpiffeId), "malformed SPIFFE ID filter"),
            ByHint = byHint,
            ByDownstream = byDownstream,
        };
        if (bySelectors is not null)
        {
            filter = filter with
            {
                BySelectors = Parse(() => Selectors(bySelectors), "malformed selectors filter"),
                SelectorMatch = Match((int)bySelectors.Match, "selectors"),
            };
        }

        if (byFederatesWith is not null)
        {
            filter = filter with
            {
                ByFederatesWith = Parse(() => TrustDomains(byFederatesWith.TrustDomains), "malformed federates with filter"),
                FederatesWithMatch = Match((int)byFederatesWith.Match, "federates with"),
            };
        }

        return filter;
    }

    /// <summary>Converts an agent filter (the List and Count requests carry the same fields).</summary>
    /// <param name="byAttestationType">Only agents of this attestation type; empty = any.</param>
    /// <param name="bySelectorMatch">Node selector match.</param>
    /// <param name="byBanned">Only agents with this banned flag.</param>
    /// <param name="byCanReattest">Only agents with this can-reattest flag.</param>
    /// <param name="byExpiresBefore">Only agents whose SVID expires before this time (<see cref="ExpiresBeforeFormat"/>); empty = any.</param>
    /// <returns>The datastore filter.</returns>
    /// <exception cref="RpcException"><c>InvalidArgument</c>: a filter is malformed.</exception>
    public static AgentFilter ToAgentFilter(
        string byAttestationType,
        Types.SelectorMatch? bySelectorMatch,
        bool? byBanned,
        bool? byCanReattest,
        string byExpiresBefore)
    {
        var filter = new AgentFilter
        {
            ByAttestationType = string.IsNullOrEmpty(byAttestationType) ? null : byAttestationType,
            ByBanned = byBanned,
            ByCanReattest = byCanReattest,
        };
        if (bySelectorMatch is not null)
        {
            filter = filter with
            {
                BySelectors = Parse(() => Selectors(bySelectorMatch), "malformed selectors filter"),
                SelectorMatch = Match((int)bySelectorMatch.Match, "selectors"),
            };
        }

        if (!string.IsNullOrEmpty(byExpiresBefore))
        {
            if (!ExpiresBeforeFormat.TryParse(byExpiresBefore, out var before))
            {
                throw AdminStatus.Error(
                    StatusCode.InvalidArgument,
                    $"malformed expires before filter: \"{byExpiresBefore}\" does not have the form \"{ExpiresBeforeFormat.Layout}\"");
            }

            filter = filter with { ByExpiresBefore = before.ToUnixTimeSeconds() };
        }

        return filter;
    }

    private static IReadOnlyList<Selector> Selectors(Types.SelectorMatch match)
    {
        if (match.Selectors.Count == 0)
        {
            throw new AdminValidationException("empty selector set");
        }

        return EntryConverter.SelectorsFromProto(match.Selectors);
    }

    private static List<string> TrustDomains(RepeatedField<string> names)
    {
        if (names.Count == 0)
        {
            throw new AdminValidationException("empty trust domain set");
        }

        return names.Select(name =>
        {
            try
            {
                return TrustDomain.Parse(name).Name;
            }
            catch (SpiffeIdException ex)
            {
                throw new AdminValidationException(ex.Message, ex);
            }
        }).ToList();
    }

    private static MatchBehavior Match(int value, string what) =>
        Enum.IsDefined((MatchBehavior)value)
            ? (MatchBehavior)value
            : throw AdminStatus.Error(StatusCode.InvalidArgument, $"malformed {what} filter: unknown match behavior {value}");

    private static T Parse<T>(Func<T> parse, string prefix)
    {
        try
        {
            return parse();
        }
        catch (AdminValidationException ex)
        {
            throw AdminStatus.Invalid(ex, prefix);
        }
    }
}
