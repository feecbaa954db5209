using Spiffe.Core;
using Spiffe.WorkloadApi;

namespace Greeter.Client;

/// <summary>The greeter client: an <see cref="HttpClient"/> that authenticates with SPIFFE mutual TLS.</summary>
public static class GreeterClient
{
    /// <summary>The client's SPIFFE ID (its registration entry).</summary>
    public static readonly SpiffeId Id = SpiffeId.Parse("spiffe://example.org/greeter/client");

    /// <summary>The server it expects to talk to.</summary>
    public static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/greeter/server");

    /// <summary>Gets the client's X509-SVID and trust bundle from the Workload API; returns once the first have arrived.</summary>
    /// <param name="socket">The Workload API address, e.g. <c>unix:///tmp/spiffe-agent/public/api.sock</c>; null for <c>SPIFFE_ENDPOINT_SOCKET</c>.</param>
    /// <param name="cancellationToken">Gives up waiting.</param>
    public static Task<X509Source> ConnectAsync(string? socket, CancellationToken cancellationToken = default) =>
        X509Source.CreateAsync(
            new X509SourceOptions
            {
                ClientOptions = new WorkloadApiClientOptions { Address = socket },

                // A process may match several registration entries (the single-node stack also registers one for your
                // uid), and then gets several SVIDs: call with the greeter client's.
                SvidPicker = X509SvidPickers.ById(Id),
            },
            cancellationToken);

    /// <summary>Creates an <see cref="HttpClient"/> for the greeter server.</summary>
    /// <param name="source">The client's SVID and the trusted bundles.</param>
    /// <param name="serverId">The only server SPIFFE ID to accept.</param>
    /// <param name="server">The server's base address.</param>
    /// <param name="connectionLifetime">How long a connection is reused; zero opens a new connection per request.</param>
    public static HttpClient Create(X509Source source, SpiffeId serverId, Uri server, TimeSpan connectionLifetime)
    {
        // The whole SPIFFE part: each new connection presents the source's current SVID and accepts the server only if
        // its SVID verifies against the trust bundle and carries `serverId`. Host names play no part.
        var handler = SpiffeHttpHandler.Create(source, Authorizers.AuthorizeId(serverId));

        // SVIDs are exchanged in the TLS handshake. Reconnecting regularly puts rotated SVIDs to use on both sides long
        // before the old ones expire (the agent rotates at about half of an SVID's lifetime).
        handler.PooledConnectionLifetime = connectionLifetime;
        return new HttpClient(handler) { BaseAddress = server };
    }

    /// <summary>Calls <c>GET /hello</c> and returns the greeting.</summary>
    /// <param name="http">A client from <see cref="Create"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="HttpRequestException">The call failed, for example because either side refused the other.</exception>
    public static Task<string> SayHelloAsync(HttpClient http, CancellationToken cancellationToken = default) =>
        http.GetStringAsync(new Uri("/hello", UriKind.Relative), cancellationToken);
}
