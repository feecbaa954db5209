using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Agent.Core.Server;

/// <summary>
/// x509pop attestation: the payload is the certificate chain; the server challenges the agent to sign a nonce with
/// the leaf's private key. Re-attestable.
/// </summary>
/// <param name="Chain">Leaf first, then intermediates.</param>
/// <param name="PrivateKey">The leaf's private key (<see cref="ECDsa"/> or <see cref="RSA"/>).</param>
internal sealed record X509PopAttestation(IReadOnlyList<X509Certificate2> Chain, AsymmetricAlgorithm PrivateKey)
    : NodeAttestationParameters
{
    /// <inheritdoc/>
    public override string Type => "x509pop";

    /// <summary>Names the leaf subject only.</summary>
    public override string ToString() => "x509pop attestation of " + (Chain.Count > 0 ? Chain[0].Subject : "?");
}
