using System.Net.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Spiffe.WorkloadApi.AspNetCore;

/// <summary>Kestrel endpoint configuration for SPIFFE mutual TLS.</summary>
public static class SpiffeListenOptionsExtensions
{
    /// <summary>
    /// Serves the endpoint over mutual TLS with SPIFFE identities: presents the source's current X509-SVID (with its
    /// intermediates) on every connection, so rotation needs no restart; requires a client certificate; accepts the
    /// client only if its X509-SVID verifies against the source's bundle for the client's trust domain and the
    /// <paramref name="authorizer"/> allows its SPIFFE ID. Refused clients are logged with the reason.
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="source">The server's SVID and the trusted bundles.</param>
    /// <param name="authorizer">Which client SPIFFE IDs may connect.</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseSpiffeMtls(this ListenOptions listenOptions, X509Source source, Authorizer authorizer)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(authorizer);
        var logger = listenOptions.ApplicationServices.GetService<ILoggerFactory>()?.CreateLogger(typeof(SpiffeListenOptionsExtensions).FullName!)
            ?? NullLogger.Instance;
        List<SslApplicationProtocol> protocols = listenOptions.Protocols switch
        {
            HttpProtocols.Http1 => [SslApplicationProtocol.Http11],
            HttpProtocols.Http2 => [SslApplicationProtocol.Http2],
            _ => [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        };

        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ =>
            {
                var options = SpiffeTls.CreateMtlsServerOptions(source.GetX509Svid(), source, authorizer, logger);
                options.ApplicationProtocols = protocols;
                return ValueTask.FromResult(options);
            },
        });
    }
}
