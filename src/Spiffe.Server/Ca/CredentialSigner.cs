using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Spiffe.Core;
using Spiffe.Server.Config;

namespace Spiffe.Server.Ca;

/// <summary>
/// Signs X509-SVIDs, JWT-SVIDs and WIT-SVIDs with the <see cref="CaManager"/>'s active generation. Validity:
/// notBefore = now − 10 s, notAfter = now + TTL capped at the CA's (or key's) expiry and at the optional
/// <c>expiresNoLaterThan</c> (the registration entry's <c>expires_at</c>).
/// </summary>
internal sealed class CredentialSigner
{
    private readonly CaManager _ca;
    private readonly ServerConfig _config;
    private readonly TimeProvider _timeProvider;
    private volatile CachedBuilder? _builder;

    /// <summary>Creates the signer.</summary>
    public CredentialSigner(CaManager ca, ServerConfig config, TimeProvider timeProvider)
    {
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>Whether WIT-SVIDs can be signed (the <c>wit-svid</c> feature flag is on and a WIT key is active).</summary>
    public bool CanSignWitSvids => _ca.ActiveWitKey is not null;

    /// <summary>The public key of a PKCS#10 request after verifying its self-signature (see <see cref="CsrParser"/>).</summary>
    /// <exception cref="CryptographicException">The CSR is malformed or its signature does not verify.</exception>
    public static PublicKey PublicKeyFromCsr(byte[] csr)
    {
        ArgumentNullException.ThrowIfNull(csr);
        return CsrParser.Parse(csr);
    }

    /// <summary>Signs an X509-SVID for <paramref name="publicKey"/>; <paramref name="ttl"/> zero means the default.</summary>
    public X509SvidResult SignX509Svid(PublicKey publicKey, SpiffeId id, IReadOnlyList<string> dnsNames, TimeSpan ttl, DateTimeOffset? expiresNoLaterThan = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var ca = _ca.ActiveX509CA;
        var key = ca.Key ?? throw new InvalidOperationException("active CA has no key");
        var now = _timeProvider.GetUtcNow();
        var notAfter = Truncate(Cap(Cap(now + (ttl > TimeSpan.Zero ? ttl : _config.DefaultX509SvidTtl), expiresNoLaterThan), ca.NotAfter));
        var builder = _builder;
        if (builder is null || builder.KeyId != ca.KeyId)
        {
            builder = new CachedBuilder(ca.KeyId, new LeafBuilder(ca.Certificate, key));
            _builder = builder;
        }

        var (der, serial) = builder.Builder.Build(publicKey, id, dnsNames, now - CertificateTemplates.Backdate, notAfter);
        var chain = new List<byte[]>(1 + ca.ChainAfterLeaf.Count) { der };
        chain.AddRange(ca.ChainAfterLeaf.Select(c => c.RawData));
        return new X509SvidResult(chain, notAfter, SerialNumbers.ToDecimal(serial));
    }

    /// <summary>
    /// Signs a JWT-SVID: header <c>{alg, kid, typ:"JWT"}</c>; claims <c>sub</c>, <c>aud</c> (array), <c>exp</c>,
    /// <c>iat</c>, <c>iss</c> when <c>jwt_issuer</c> is set, and <c>jti</c> when <paramref name="includeJti"/>.
    /// </summary>
    public JwtSvidResult SignJwtSvid(SpiffeId id, IReadOnlyList<string> audience, TimeSpan ttl, bool includeJti, DateTimeOffset? expiresNoLaterThan = null)
    {
        ArgumentNullException.ThrowIfNull(audience);
        var slot = _ca.ActiveJwtKey;
        var now = _timeProvider.GetUtcNow();
        var expires = Cap(Cap(now + (ttl > TimeSpan.Zero ? ttl : _config.DefaultJwtSvidTtl), slot.NotAfter), expiresNoLaterThan);
        return Sign(slot, "JWT", now, expires, writer =>
        {
            writer.WriteStartArray("aud");
            foreach (var a in audience)
            {
                writer.WriteStringValue(a);
            }

            writer.WriteEndArray();
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            if (_config.JwtIssuer is { } issuer)
            {
                writer.WriteString("iss", issuer);
            }

            if (includeJti)
            {
                writer.WriteString("jti", NewJti());
            }

            writer.WriteString("sub", id.ToString());
        });
    }

    /// <summary>
    /// Signs a WIT-SVID (SPIFFE WIT-SVID profile) binding <paramref name="confirmation"/>: header
    /// <c>{alg, kid, typ:"wit+jwt"}</c> with the active WIT key; claims <c>cnf.jwk</c> (the workload's public key with
    /// its proof <c>alg</c>), <c>exp</c>, <c>iat</c>, <c>jti</c> (128 random bits), <c>nbf</c> = <c>iat</c> and
    /// <c>sub</c>; no <c>aud</c>. <paramref name="ttl"/> zero means <c>default_wit_svid_ttl</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">WIT-SVIDs are not enabled (no active WIT key).</exception>
    public JwtSvidResult SignWitSvid(SpiffeId id, WitConfirmationKey confirmation, TimeSpan ttl, DateTimeOffset? expiresNoLaterThan = null)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        var slot = _ca.ActiveWitKey ?? throw new InvalidOperationException("WIT-SVIDs are not enabled");
        var now = _timeProvider.GetUtcNow();
        var expires = Cap(Cap(now + (ttl > TimeSpan.Zero ? ttl : _config.DefaultWitSvidTtl), slot.NotAfter), expiresNoLaterThan);
        return Sign(slot, WitSvid.MediaType, now, expires, writer =>
        {
            writer.WriteStartObject("cnf");
            writer.WritePropertyName("jwk");
            writer.WriteRawValue(confirmation.Jwk);
            writer.WriteEndObject();
            writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
            writer.WriteNumber("iat", now.ToUnixTimeSeconds());
            writer.WriteString("jti", NewJti());
            writer.WriteNumber("nbf", now.ToUnixTimeSeconds());
            writer.WriteString("sub", id.ToString());
        });
    }

    private static DateTimeOffset Cap(DateTimeOffset value, DateTimeOffset? limit) => limit is { } l && value > l ? l : value;

    private static DateTimeOffset Truncate(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string NewJti() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static JwtSvidResult Sign(SigningKeySlot slot, string type, DateTimeOffset now, DateTimeOffset expires, Action<Utf8JsonWriter> claims)
    {
        var key = slot.Key ?? throw new InvalidOperationException("active signing key is missing");
        var algorithm = KeyFactory.JwsAlgorithm(key);
        var header = Json(writer =>
        {
            writer.WriteString("alg", algorithm);
            writer.WriteString("kid", slot.Kid);
            writer.WriteString("typ", type);
        });
        var payload = Json(claims);
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var signature = KeyFactory.SignJws(key, algorithm, System.Text.Encoding.ASCII.GetBytes(signingInput));
        return new JwtSvidResult(signingInput + "." + Base64Url.EncodeToString(signature), DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()), DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record CachedBuilder(string KeyId, LeafBuilder Builder);
}
