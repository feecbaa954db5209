using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// Verifies a TLS peer as SPIFFE requires: its certificates must form an X509-SVID that chains to the X.509
/// bundle of its own trust domain (<see cref="X509SvidVerifier"/>), and the authorizer must accept its SPIFFE ID.
/// The host name is not checked, nor the platform's own chain verdict.
/// </summary>
internal sealed class PeerVerifier
{
    private readonly IX509BundleSource bundleSource;
    private readonly Authorizer authorizer;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;

    public PeerVerifier(IX509BundleSource bundleSource, Authorizer authorizer, TimeProvider timeProvider, ILogger logger)
    {
        this.bundleSource = bundleSource ?? throw new ArgumentNullException(nameof(bundleSource));
        this.authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>A chain policy that keeps the platform's preliminary chain build cheap: no system roots, no downloads, no revocation.</summary>
    public static X509ChainPolicy PlatformChainPolicy => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };

    /// <summary>Checks the peer's certificate and the intermediates it sent (the platform puts them in the chain's extra store).</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain)
    {
        if (certificate is null)
        {
            this.logger.PeerRejected("the peer sent no certificate");
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var presented = new List<X509Certificate2> { leaf };
        if (chain is not null)
        {
            foreach (var extra in chain.ChainPolicy.ExtraStore)
            {
                if (!extra.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    presented.Add(extra);
                }
            }
        }

        try
        {
            var result = X509SvidVerifier.Verify(presented, this.bundleSource, this.timeProvider.GetUtcNow());
            this.authorizer(result.Id, result.Chain);
            return true;
        }
        catch (Exception ex) when (ex is X509SvidException or PeerAuthorizationException)
        {
            this.logger.PeerRejected(ex.Message);
            return false;
        }
    }

    public RemoteCertificateValidationCallback Callback => (_, certificate, chain, _) => this.Validate(certificate, chain);
}
