using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// A trust bundle: the server's own (trust domain = the server's) or a federated one. The store bumps
/// <see cref="SequenceNumber"/> on every change.
/// </summary>
internal sealed record BundleRecord
{
    /// <summary>The bundle's trust domain.</summary>
    public required TrustDomain TrustDomain { get; init; }

    /// <summary>X.509 roots.</summary>
    public IReadOnlyList<X509Authority> X509Authorities { get; init; } = [];

    /// <summary>JWT-SVID signing keys.</summary>
    public IReadOnlyList<KeyAuthority> JwtAuthorities { get; init; } = [];

    /// <summary>WIT-SVID signing keys.</summary>
    public IReadOnlyList<KeyAuthority> WitAuthorities { get; init; } = [];

    /// <summary>Refresh hint in seconds; 0 = none.</summary>
    public long RefreshHint { get; init; }

    /// <summary>Sequence number, increased by the store on every change.</summary>
    public ulong SequenceNumber { get; init; }
}
