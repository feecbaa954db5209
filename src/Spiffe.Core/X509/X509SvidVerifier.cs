using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Core;

/// <summary>
/// Verifies a peer's X509-SVID chain against the X.509 bundle of the leaf's trust domain, with go-spiffe's
/// <c>x509svid.Verify</c> semantics: extended key usage is not enforced and revocation is not checked.
/// </summary>
public static class X509SvidVerifier
{
    /// <summary>
    /// Verifies an X509-SVID chain. The leaf must have exactly one URI SAN holding a valid SPIFFE ID with a
    /// non-root path, must not be a CA and must not have keyCertSign or cRLSign. The bundle is chosen by the leaf's
    /// trust domain; the path to one of its authorities is built with the remaining certificates as intermediates
    /// and validated (signatures, validity at <paramref name="now"/>, CA constraints, path length, name constraints,
    /// critical extensions).
    /// </summary>
    /// <param name="chain">The peer's certificates, leaf first.</param>
    /// <param name="bundleSource">The source of trusted X.509 bundles.</param>
    /// <param name="now">The time at which the chain must be valid.</param>
    /// <returns>The leaf's SPIFFE ID and the verified chain.</returns>
    /// <exception cref="X509SvidException">The chain is not a trusted X509-SVID; the message says why.</exception>
    public static X509SvidVerificationResult Verify(IReadOnlyList<X509Certificate2> chain, IX509BundleSource bundleSource, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(bundleSource);
        if (chain.Count == 0)
        {
            throw new X509SvidException("empty certificate chain");
        }

        var leaf = chain[0];
        var id = X509Rules.ReadLeafId(leaf);
        X509Rules.CheckLeafIsNotCa(leaf);
        for (var i = 0; i < chain.Count; i++)
        {
            X509Rules.CheckSignatureAlgorithm(chain[i], i == 0 ? "leaf" : $"certificate {i}");
        }

        X509Bundle bundle;
        try
        {
            bundle = bundleSource.GetX509BundleForTrustDomain(id.TrustDomain);
        }
        catch (BundleNotFoundException ex)
        {
            throw new X509SvidException($"no X.509 bundle for trust domain \"{id.TrustDomain}\"", ex);
        }

        if (bundle.X509Authorities.Count == 0)
        {
            throw new X509SvidException($"the X.509 bundle for trust domain \"{id.TrustDomain}\" has no authorities");
        }

        using var builder = new X509Chain();
        var policy = builder.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        policy.CustomTrustStore.AddRange(bundle.X509Authorities.ToArray());
        for (var i = 1; i < chain.Count; i++)
        {
            policy.ExtraStore.Add(chain[i]);
        }

        if (!builder.Build(leaf))
        {
            var reasons = builder.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}")
                .Distinct(StringComparer.Ordinal);
            throw new X509SvidException("certificate chain verification failed: " + string.Join("; ", reasons));
        }

        var known = chain.Concat(bundle.X509Authorities).ToList();
        var verified = builder.ChainElements
            .Select(element => known.First(c => c.RawDataMemory.Span.SequenceEqual(element.Certificate.RawDataMemory.Span)))
            .ToList();
        foreach (var element in builder.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return new X509SvidVerificationResult(id, verified.AsReadOnly());
    }
}
