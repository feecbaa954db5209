using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Ca;

/// <summary>A signed X509-SVID.</summary>
/// <param name="Leaf">The leaf certificate (public only).</param>
/// <param name="Chain">DER certificates, leaf first, then intermediates up to (not including) the root.</param>
/// <param name="ExpiresAt">The leaf's notAfter.</param>
/// <param name="SerialNumber">The leaf serial as an unsigned decimal string.</param>
internal sealed record X509SvidResult(X509Certificate2 Leaf, IReadOnlyList<byte[]> Chain, DateTimeOffset ExpiresAt, string SerialNumber);
