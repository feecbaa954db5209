using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.WorkloadApi;
using Spiffe.WorkloadApi.AspNetCore;

namespace Greeter.Server;

/// <summary>The greeter service: an ASP.NET Core minimal API served over SPIFFE mutual TLS.</summary>
public static class GreeterServer
{
    /// <summary>The server's SPIFFE ID (its registration entry).</summary>
    public static readonly SpiffeId Id = SpiffeId.Parse("spiffe://example.org/greeter/server");

    /// <summary>The only client allowed to call.</summary>
    public static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/greeter/client");

    /// <summary>Gets the server's X509-SVID and trust bundle from the Workload API; returns once the first have arrived.</summary>
    /// <param name="socket">The Workload API address, e.g. <c>unix:///tmp/spiffe-agent/public/api.sock</c>; null for <c>SPIFFE_ENDPOINT_SOCKET</c>.</param>
    /// <param name="cancellationToken">Gives up waiting.</param>
    public static Task<X509Source> ConnectAsync(string? socket, CancellationToken cancellationToken = default) =>
        X509Source.CreateAsync(
            new X509SourceOptions
            {
                ClientOptions = new WorkloadApiClientOptions { Address = socket },

                // A process may match several registration entries (the single-node stack also registers one for your
                // uid), and then gets several SVIDs: serve with the greeter server's.
                SvidPicker = X509SvidPickers.ById(Id),
            },
            cancellationToken);

    /// <summary>Builds the app: <c>GET /hello</c> on <paramref name="endpoint"/>, over mutual TLS.</summary>
    /// <param name="source">The server's SVID and the trusted bundles.</param>
    /// <param name="allowedClient">The client SPIFFE ID that may connect.</param>
    /// <param name="endpoint">Where to listen; port 0 picks a free port.</param>
    public static WebApplication Build(X509Source source, SpiffeId allowedClient, IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning); // no line per request

        // The whole SPIFFE part: every TLS handshake presents the source's current SVID, requires the client's,
        // verifies it against the trust bundle and lets only `allowedClient` in. Rotation needs no restart.
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(endpoint, listen => listen.UseSpiffeMtls(source, Authorizers.AuthorizeId(allowedClient))));

        var app = builder.Build();
        app.MapGet("/hello", Greet);
        return app;
    }

    // A request only gets here from an authenticated, authorized client. The greeting names both certificates of this
    // connection, so that rotations show up in the client's output.
    private static string Greet(HttpContext context)
    {
        var client = context.Connection.ClientCertificate!;
        var server = context.Features.Get<ISslStreamFeature>()!.SslStream.LocalCertificate!;
        return $"Hello, {client.GetNameInfo(X509NameType.UrlName, forIssuer: false)}! " +
            $"(client SVID serial {client.SerialNumber}, server SVID serial {server.GetSerialNumberString()})";
    }
}
