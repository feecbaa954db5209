using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// Creates <see cref="SocketsHttpHandler"/>s for HTTPS (and gRPC) clients that authenticate with mutual TLS between
/// SPIFFE workloads: the client presents its current X509-SVID on every new connection and accepts only a server whose
/// X509-SVID verifies against the bundle and passes the <see cref="Authorizer"/>.
/// </summary>
/// <remarks>
/// The client certificate is chosen per handshake (the handler copies its TLS options per connection pool, so a fixed
/// certificate would outlive a rotation). .NET sends only the leaf of a certificate chosen that way; a server must be
/// able to verify the client's leaf against its bundle without intermediates.
/// </remarks>
public static class SpiffeHttpHandler
{
    /// <summary>Creates a handler that uses an <see cref="X509Source"/> for both the client SVID and the trusted bundles.</summary>
    /// <param name="source">The source.</param>
    /// <param name="authorizer">Which server SPIFFE IDs to accept.</param>
    /// <param name="logger">Where refused servers are logged, with the reason.</param>
    /// <returns>The handler, for <c>new HttpClient(handler)</c> or <c>GrpcChannelOptions.HttpHandler</c>.</returns>
    public static SocketsHttpHandler Create(X509Source source, Authorizer authorizer, ILogger? logger = null) =>
        Create(source, source, authorizer, logger);

    /// <summary>Creates a handler from separate SVID and bundle sources.</summary>
    /// <param name="svidSource">The client's SVID.</param>
    /// <param name="bundleSource">The trusted bundles the server's SVID is verified against.</param>
    /// <param name="authorizer">Which server SPIFFE IDs to accept.</param>
    /// <param name="logger">Where refused servers are logged, with the reason.</param>
    /// <returns>The handler.</returns>
    public static SocketsHttpHandler Create(IX509SvidSource svidSource, IX509BundleSource bundleSource, Authorizer authorizer, ILogger? logger = null) =>
        new() { SslOptions = SpiffeTls.CreateMtlsClientOptions(svidSource, bundleSource, authorizer, logger) };
}
