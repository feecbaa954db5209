using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;

namespace Spiffe.Server.Hosting;

/// <summary>
/// The agent-facing listener's TLS identity: an X509-SVID for <c>spiffe://&lt;td&gt;/spire/server</c> signed by the
/// active CA with a fresh P-256 key, re-minted when the active CA changes or at half of its lifetime. Client
/// certificates are requested but optional; they are validated per call by <c>CallerAuthorizer</c>.
/// </summary>
internal sealed class ServerTlsCredentials : IDisposable
{
    private readonly CredentialSigner _signer;
    private readonly CaManager _ca;
    private readonly ServerConfig _config;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private Current? _current;

    /// <summary>Creates the credentials holder.</summary>
    public ServerTlsCredentials(CredentialSigner signer, CaManager ca, ServerConfig config, TimeProvider timeProvider)
    {
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>The server's SPIFFE ID.</summary>
    public SpiffeId ServerId => SpiffeId.FromPath(_config.TrustDomain, "/spire/server");

    /// <summary>The current server certificate (leaf, public).</summary>
    public X509Certificate2 Certificate => GetCurrent().Leaf;

    /// <summary>TLS options for one connection.</summary>
    public SslServerAuthenticationOptions GetServerOptions() => new()
    {
        ServerCertificateContext = GetCurrent().Context,
        ClientCertificateRequired = true,
#pragma warning disable CA5359 // Client certificates are optional at the TLS layer and validated per call (CallerAuthorizer).
        RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
        ApplicationProtocols = [SslApplicationProtocol.Http2],
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Leaf.Dispose();
            _current = null;
        }
    }

    private Current GetCurrent()
    {
        var now = _timeProvider.GetUtcNow();
        var ca = _ca.ActiveX509CA;
        lock (_gate)
        {
            if (_current is { } c && c.CaKeyId == ca.KeyId && now < c.RenewAt)
            {
                return c;
            }

            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var svid = _signer.SignX509Svid(new PublicKey(key), ServerId, [], _config.DefaultX509SvidTtl);
            var leaf = svid.Leaf.CopyWithPrivateKey(key);
            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(ca.ChainAfterLeaf.ToArray());
            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
            var notAfter = svid.ExpiresAt;
            _current = new Current(leaf, context, ca.KeyId, notBefore + ((notAfter - notBefore) / 2));
            return _current;
        }
    }

    private sealed record Current(X509Certificate2 Leaf, SslStreamCertificateContext Context, string CaKeyId, DateTimeOffset RenewAt);
}
