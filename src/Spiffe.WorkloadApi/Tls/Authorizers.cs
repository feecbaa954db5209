using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>The usual <see cref="Authorizer"/> policies.</summary>
public static class Authorizers
{
    /// <summary>Allows any peer whose X509-SVID verifies against the bundle (any SPIFFE ID of a trusted trust domain).</summary>
    /// <returns>The authorizer.</returns>
    public static Authorizer AuthorizeAny() => static (_, _) => { };

    /// <summary>Allows only the given SPIFFE ID.</summary>
    /// <param name="allowed">The ID.</param>
    /// <returns>The authorizer.</returns>
    public static Authorizer AuthorizeId(SpiffeId allowed)
    {
        RequireId(allowed, nameof(allowed));
        return (peerId, _) =>
        {
            if (peerId != allowed)
            {
                throw new PeerAuthorizationException($"unexpected ID \"{peerId}\": only \"{allowed}\" is allowed");
            }
        };
    }

    /// <summary>Allows any of the given SPIFFE IDs.</summary>
    /// <param name="allowed">The IDs; at least one.</param>
    /// <returns>The authorizer.</returns>
    public static Authorizer AuthorizeOneOf(params IEnumerable<SpiffeId> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        var ids = allowed.ToHashSet();
        if (ids.Count == 0)
        {
            throw new ArgumentException("at least one SPIFFE ID is required", nameof(allowed));
        }

        foreach (var id in ids)
        {
            RequireId(id, nameof(allowed));
        }

        return (peerId, _) =>
        {
            if (!ids.Contains(peerId))
            {
                throw new PeerAuthorizationException($"unexpected ID \"{peerId}\": not one of the {ids.Count} allowed IDs");
            }
        };
    }

    /// <summary>Allows any SPIFFE ID of the given trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The authorizer.</returns>
    public static Authorizer AuthorizeMemberOf(TrustDomain trustDomain)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }

        return (peerId, _) =>
        {
            if (!peerId.MemberOf(trustDomain))
            {
                throw new PeerAuthorizationException($"unexpected trust domain \"{peerId.TrustDomain}\": only members of \"{trustDomain}\" are allowed");
            }
        };
    }

    /// <summary>Turns a predicate on the peer's SPIFFE ID into an authorizer.</summary>
    /// <param name="matcher">Returns true for an allowed ID.</param>
    /// <returns>The authorizer.</returns>
    public static Authorizer AdaptMatcher(Func<SpiffeId, bool> matcher)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        return (peerId, _) =>
        {
            if (!matcher(peerId))
            {
                throw new PeerAuthorizationException($"unexpected ID \"{peerId}\": refused by the matcher");
            }
        };
    }

    private static void RequireId(SpiffeId id, string parameter)
    {
        if (id.IsZero)
        {
            throw new ArgumentException("the SPIFFE ID is the zero value", parameter);
        }
    }
}
