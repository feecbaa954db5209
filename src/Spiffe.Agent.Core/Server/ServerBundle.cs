using Spiffe.Core;

namespace Spiffe.Agent.Core.Server;

/// <summary>A trust domain's bundle as the server returned it: X.509 roots and JWT authorities.</summary>
/// <param name="X509">The X.509 authorities (possibly empty for a federated trust domain).</param>
/// <param name="Jwt">The JWT authorities (possibly empty).</param>
/// <param name="SequenceNumber">The server's sequence number for the bundle.</param>
internal sealed record ServerBundle(X509Bundle X509, JwtBundle Jwt, ulong SequenceNumber)
{
    /// <summary>The trust domain.</summary>
    public TrustDomain TrustDomain => X509.TrustDomain;

    /// <summary>The WIT-SVID signing keys (<c>wit_authorities</c>), or null when the server publishes none.</summary>
    public WitBundle? Wit { get; init; }

    /// <summary>True when both bundles hold the same authorities in the same order (the sequence number is ignored).</summary>
    public bool HasSameAuthorities(ServerBundle other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return TrustDomain == other.TrustDomain
            && X509.Marshal().AsSpan().SequenceEqual(other.X509.Marshal())
            && Jwt.Marshal().AsSpan().SequenceEqual(other.Jwt.Marshal())
            && (Wit?.Marshal() ?? []).AsSpan().SequenceEqual(other.Wit?.Marshal() ?? []);
    }
}
