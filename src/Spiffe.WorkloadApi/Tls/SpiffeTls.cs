using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;

namespace Spiffe.WorkloadApi;

/// <summary>
/// Builds <see cref="SslStream"/> options for SPIFFE TLS and mutual TLS. The peer is verified by its X509-SVID:
/// the chain it presents must lead to the X.509 bundle of the peer's own trust domain, then the
/// <see cref="Authorizer"/> decides on its SPIFFE ID; host names and the system trust store play no part.
/// The local SVID is read from the source for every handshake, so rotation takes effect without a restart.
/// TLS sessions are never resumed: every connection verifies the peer's current SVID and runs the authorizer again.
/// </summary>
/// <remarks>
/// How the local certificate follows rotation depends on the source. A server with an <see cref="X509Source"/>
/// gets a <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/> that is replaced after every update
/// (the whole chain, intermediates included, is sent). A client with a rotating source selects its certificate per
/// handshake in <see cref="SslClientAuthenticationOptions.LocalCertificateSelectionCallback"/>, which also works when
/// the options are copied (as <see cref="SocketsHttpHandler"/> does per connection pool); .NET sends only the leaf
/// of a certificate chosen that way. A fixed <see cref="X509Svid"/> is presented with its whole chain.
/// </remarks>
public static class SpiffeTls
{
    /// <summary>Options for a mutual-TLS server: presents its SVID, requires and verifies the client's, then authorizes it.</summary>
    /// <param name="svidSource">The server's SVID, for example an <see cref="X509Source"/>.</param>
    /// <param name="bundleSource">The trusted bundles the client's SVID is verified against.</param>
    /// <param name="authorizer">Which client SPIFFE IDs may connect.</param>
    /// <param name="logger">Where refused peers are logged, with the reason.</param>
    /// <returns>The options; pass them to <see cref="SslStream.AuthenticateAsServerAsync(SslServerAuthenticationOptions, CancellationToken)"/>.</returns>
    public static SslServerAuthenticationOptions CreateMtlsServerOptions(
        IX509SvidSource svidSource,
        IX509BundleSource bundleSource,
        Authorizer authorizer,
        ILogger? logger = null)
    {
        var verifier = new PeerVerifier(bundleSource, authorizer, TimeProvider.System, logger ?? NullLogger.Instance);
        var options = new SslServerAuthenticationOptions
        {
            AllowTlsResume = false,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = verifier.Callback,
            CertificateChainPolicy = PeerVerifier.PlatformChainPolicy,
        };
        SetServerCertificate(options, svidSource);
        return options;
    }

    /// <summary>Options for a TLS server that presents its SVID and does not ask for a client certificate.</summary>
    /// <param name="svidSource">The server's SVID, for example an <see cref="X509Source"/>.</param>
    /// <returns>The options.</returns>
    public static SslServerAuthenticationOptions CreateTlsServerOptions(IX509SvidSource svidSource)
    {
        var options = new SslServerAuthenticationOptions { AllowTlsResume = false };
        SetServerCertificate(options, svidSource);
        return options;
    }

    /// <summary>Options for a mutual-TLS client: presents its SVID, verifies the server's, then authorizes it.</summary>
    /// <param name="svidSource">The client's SVID, for example an <see cref="X509Source"/>.</param>
    /// <param name="bundleSource">The trusted bundles the server's SVID is verified against.</param>
    /// <param name="authorizer">Which server SPIFFE IDs to accept.</param>
    /// <param name="logger">Where refused peers are logged, with the reason.</param>
    /// <returns>The options; set <see cref="SslClientAuthenticationOptions.TargetHost"/> for SNI if the server needs it.</returns>
    public static SslClientAuthenticationOptions CreateMtlsClientOptions(
        IX509SvidSource svidSource,
        IX509BundleSource bundleSource,
        Authorizer authorizer,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        var options = CreateTlsClientOptions(bundleSource, authorizer, logger);
        if (svidSource is X509Svid svid)
        {
            options.ClientCertificateContext = SvidCredentials.Get(svid).Context;
        }
        else
        {
            options.LocalCertificateSelectionCallback = (_, _, _, _, _) => SvidCredentials.Get(svidSource.GetX509Svid()).Leaf;
        }

        return options;
    }

    /// <summary>Options for a TLS client without a certificate of its own that verifies and authorizes the server's SVID.</summary>
    /// <param name="bundleSource">The trusted bundles the server's SVID is verified against.</param>
    /// <param name="authorizer">Which server SPIFFE IDs to accept.</param>
    /// <param name="logger">Where refused peers are logged, with the reason.</param>
    /// <returns>The options.</returns>
    public static SslClientAuthenticationOptions CreateTlsClientOptions(IX509BundleSource bundleSource, Authorizer authorizer, ILogger? logger = null)
    {
        var verifier = new PeerVerifier(bundleSource, authorizer, TimeProvider.System, logger ?? NullLogger.Instance);
        return new SslClientAuthenticationOptions
        {
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = verifier.Callback,
            CertificateChainPolicy = PeerVerifier.PlatformChainPolicy,
        };
    }

    private static void SetServerCertificate(SslServerAuthenticationOptions options, IX509SvidSource svidSource)
    {
        ArgumentNullException.ThrowIfNull(svidSource);
        switch (svidSource)
        {
            case X509Source source:
                CertificateContextTracker.Track(source, options);
                break;
            case X509Svid svid:
                options.ServerCertificateContext = SvidCredentials.Get(svid).Context;
                break;
            default:
                options.ServerCertificateSelectionCallback = (_, _) => SvidCredentials.Get(svidSource.GetX509Svid()).Leaf;
                break;
        }
    }
}
