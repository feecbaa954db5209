using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Ca;

/// <summary>An X.509 CA generation: the server CA certificate, its chain up to (not including) the root, and its key.</summary>
/// <param name="KeyId">The key manager's ID for the private key.</param>
/// <param name="Certificate">The server CA certificate (self-signed root, or intermediate under the upstream authority).</param>
/// <param name="UpstreamChain">Upstream intermediates between <paramref name="Certificate"/> and the root (empty when self-signed or issued directly by the upstream root).</param>
/// <param name="Key">The private key, or null when the key manager lost it (memory key manager after restart).</param>
/// <param name="Status">Prepared, active or old.</param>
internal sealed record X509CaSlot(
    string KeyId,
    X509Certificate2 Certificate,
    IReadOnlyList<X509Certificate2> UpstreamChain,
    AsymmetricAlgorithm? Key,
    SlotStatus Status)
{
    /// <summary>Start of validity.</summary>
    public DateTimeOffset NotBefore => new(Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>End of validity.</summary>
    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Whether the CA is the trust anchor itself (no upstream authority).</summary>
    public bool IsSelfSigned => Certificate.SubjectName.RawData.AsSpan().SequenceEqual(Certificate.IssuerName.RawData);

    /// <summary>
    /// The certificates that follow a leaf this CA signs: nothing for a self-signed CA (the root is in the bundle), else
    /// the CA and the upstream intermediates.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ChainAfterLeaf => IsSelfSigned ? [] : [Certificate, .. UpstreamChain];
}
