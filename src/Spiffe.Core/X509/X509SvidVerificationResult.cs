using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>The outcome of a successful <see cref="X509SvidVerifier.Verify"/>.</summary>
public sealed class X509SvidVerificationResult
{
    internal X509SvidVerificationResult(SpiffeId id, IReadOnlyList<X509Certificate2> chain)
    {
        this.Id = id;
        this.Chain = chain;
    }

    /// <summary>The SPIFFE ID of the verified leaf.</summary>
    public SpiffeId Id { get; }

    /// <summary>
    /// The verified chain: the leaf first, then each issuer, ending with the trusted authority from the bundle.
    /// The elements are the caller's and the bundle's own certificate instances.
    /// </summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }
}
