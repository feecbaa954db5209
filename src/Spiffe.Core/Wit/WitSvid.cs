using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// A WIT-SVID: a Workload Identity Token (draft-ietf-wimse-workload-creds) profiled by SPIFFE. It binds the workload's
/// public key (<c>cnf.jwk</c>) to its SPIFFE ID and must never be accepted without a proof of possession of that
/// key, such as a <see cref="WorkloadProofToken"/> checked by <see cref="WorkloadProofVerifier"/>. Obtain one with
/// <see cref="ParseAndValidate"/> (signature checked against the WIT bundle of the <c>sub</c> trust domain) or, for
/// a token from a trusted channel such as the Workload API, <see cref="ParseInsecure"/>.
/// </summary>
public sealed class WitSvid
{
    /// <summary>The media type in the <c>typ</c> header, <c>wit+jwt</c>.</summary>
    public const string MediaType = "wit+jwt";

    /// <summary>The clock skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    private static readonly string[] KeyBearingHeaderMembers = ["jwk", "jku", "x5c", "x5u"];

    private WitSvid(string token, ParsedToken parsed, string hint)
    {
        this.Token = token;
        this.Id = parsed.Subject;
        this.KeyId = parsed.KeyId;
        this.Expiry = parsed.Expiry;
        this.IssuedAt = parsed.IssuedAt;
        this.NotBefore = parsed.NotBefore;
        this.Jti = parsed.Jti;
        this.ConfirmationKey = parsed.ConfirmationKey;
        this.Claims = parsed.Claims;
        this.Hint = hint;
    }

    /// <summary>The SPIFFE ID in <c>sub</c> (never root-path).</summary>
    public SpiffeId Id { get; }

    /// <summary>The <c>kid</c> header: the key ID of the issuer's signing key.</summary>
    public string KeyId { get; }

    /// <summary>The <c>exp</c> time.</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary>The <c>iat</c> time, when present (informational: it never limits validity).</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>The <c>nbf</c> time, when present.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>The <c>jti</c> claim, when present: the token's unique ID for audit and revocation.</summary>
    public string? Jti { get; }

    /// <summary>The workload's public key and proof algorithm from <c>cnf.jwk</c>.</summary>
    public WitConfirmationKey ConfirmationKey { get; }

    /// <summary>Every claim of the payload, by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Claims { get; }

    /// <summary>The token in compact serialization, as received.</summary>
    public string Token { get; }

    /// <summary>The operator-chosen hint from the Workload API, or empty.</summary>
    public string Hint { get; }

    /// <summary>
    /// Parses and validates a WIT-SVID. In order: compact serialization (three unpadded base64url segments);
    /// <c>alg</c> in RS256/384/512, PS256/384/512, ES256/384/512; <c>typ</c> exactly <c>wit+jwt</c>; no
    /// <c>jwk</c>, <c>jku</c>, <c>x5c</c>, <c>x5u</c> or <c>crit</c> header; a non-empty <c>kid</c>; <c>sub</c> a
    /// SPIFFE ID with a non-root path; integer <c>exp</c>, and <c>iat</c>/<c>nbf</c> integers when present;
    /// <c>jti</c> a non-empty string when present; no <c>aud</c>; <c>cnf.jwk</c> a public EC or RSA key whose
    /// <c>alg</c> is allowed and fits it; then the <c>kid</c> names a key in the WIT bundle of the <c>sub</c> trust
    /// domain, <c>alg</c> fits that key, the signature verifies, and <c>exp</c> and <c>nbf</c> hold at
    /// <paramref name="now"/> within <see cref="Leeway"/>. A valid WIT-SVID still needs a proof of possession.
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="bundleSource">The trusted WIT bundles.</param>
    /// <param name="now">The validation time.</param>
    /// <returns>The validated SVID.</returns>
    /// <exception cref="WitSvidException">The token is not a valid WIT-SVID; the message names the rule.</exception>
    public static WitSvid ParseAndValidate(string token, IWitBundleSource bundleSource, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(bundleSource);
        var parsed = Parse(token);
        var trustDomain = parsed.Subject.TrustDomain;
        WitBundle bundle;
        try
        {
            bundle = bundleSource.GetWitBundleForTrustDomain(trustDomain);
        }
        catch (BundleNotFoundException ex)
        {
            throw new WitSvidException($"no WIT bundle for trust domain \"{trustDomain}\"", ex);
        }

        if (!bundle.TryGetWitAuthority(parsed.KeyId, out var key))
        {
            throw new WitSvidException($"no WIT authority with key ID \"{parsed.KeyId}\" in the bundle for trust domain \"{trustDomain}\"");
        }

        if (JwsAlgorithms.Misfit(parsed.Algorithm, key) is { } misfit)
        {
            throw new WitSvidException($"token algorithm does not fit key \"{parsed.KeyId}\": {misfit}");
        }

        if (!JwsAlgorithms.Verify(key, parsed.Algorithm, parsed.Jws.SigningInput, parsed.Jws.Signature))
        {
            throw new WitSvidException("token signature verification failed");
        }

        ValidateTimes(parsed, now);
        return new WitSvid(token, parsed, string.Empty);
    }

    /// <summary>
    /// Parses a WIT-SVID without verifying its signature: every rule of <see cref="ParseAndValidate"/> except the
    /// bundle and signature checks. Use only for tokens from a trusted channel (the Workload API).
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="now">The validation time for <c>exp</c> and <c>nbf</c>.</param>
    /// <param name="hint">The hint that came with the SVID, if any.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="WitSvidException">The token breaks a WIT-SVID rule; the message names it.</exception>
    public static WitSvid ParseInsecure(string token, DateTimeOffset now, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parsed = Parse(token);
        ValidateTimes(parsed, now);
        return new WitSvid(token, parsed, hint ?? string.Empty);
    }

    /// <summary>
    /// Reads the private key that comes with a WIT-SVID (the Workload API's <c>wit_svid_key</c>): a private JWK,
    /// EC (<c>crv</c>, <c>x</c>, <c>y</c>, <c>d</c>) or RSA (<c>n</c>, <c>e</c>, <c>d</c>, <c>p</c>, <c>q</c>,
    /// <c>dp</c>, <c>dq</c>, <c>qi</c>), whose private members must belong to its public ones and whose <c>alg</c>,
    /// when present, must be allowed and fit the key. Check it against the WIT with <see cref="WitConfirmationKey.Matches"/>.
    /// </summary>
    /// <param name="jwk">The JWK JSON text.</param>
    /// <returns>A new <see cref="ECDsa"/> or <see cref="RSA"/> key pair, owned by the caller.</returns>
    /// <exception cref="WitSvidException">The JWK is not a usable private key; the message says why.</exception>
    public static AsymmetricAlgorithm ParsePrivateKey(string jwk)
    {
        ArgumentNullException.ThrowIfNull(jwk);
        try
        {
            return PrivateJwk.Read(jwk).Key;
        }
        catch (FormatException ex)
        {
            throw new WitSvidException("cannot parse WIT-SVID private key: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Writes a WIT-SVID key pair as a private JWK (for the Workload API's <c>wit_svid_key</c>): <c>kty</c>, the
    /// public members, <c>alg</c>, then the private members. The result is secret: never log it.
    /// </summary>
    /// <param name="key">An exportable <see cref="ECDsa"/> (P-256, P-384, P-521) or <see cref="RSA"/> key pair.</param>
    /// <param name="algorithm">The proof algorithm, the WIT's <c>cnf.jwk.alg</c>; it must fit the key.</param>
    /// <returns>The JWK JSON text.</returns>
    /// <exception cref="ArgumentException">The key is of another type or curve, or the algorithm is not allowed or does not fit it.</exception>
    public static string ExportPrivateKey(AsymmetricAlgorithm key, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(algorithm);
        if (key is not (ECDsa or RSA))
        {
            throw new ArgumentException("only ECDsa and RSA keys can be exported", nameof(key));
        }

        WitConfirmationKey.Create(new PublicKey(key), algorithm);
        return PrivateJwk.Write(key, algorithm);
    }

    private static ParsedToken Parse(string token)
    {
        CompactJws jws;
        try
        {
            jws = CompactJws.Parse(token);
        }
        catch (FormatException ex)
        {
            throw new WitSvidException(ex.Message, ex);
        }

        var header = jws.Header;
        var algorithm = ReadAlgorithm(header);
        if (!header.TryGetProperty("typ", out var typ) || typ.ValueKind != JsonValueKind.String || typ.GetString() != MediaType)
        {
            throw new WitSvidException($"token header \"typ\" must be \"{MediaType}\"");
        }

        foreach (var member in KeyBearingHeaderMembers)
        {
            if (header.TryGetProperty(member, out _))
            {
                throw new WitSvidException($"token header member \"{member}\" is not allowed: keys come only from the WIT bundle");
            }
        }

        if (header.TryGetProperty("crit", out _))
        {
            throw new WitSvidException("token header member \"crit\" is not supported");
        }

        if (!header.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String || kid.GetString()!.Length == 0)
        {
            throw new WitSvidException("token header \"kid\" is missing or empty");
        }

        var claims = jws.Payload;
        var subject = ReadSubject(claims);
        if (claims.TryGetProperty("aud", out _))
        {
            throw new WitSvidException("token must not have an \"aud\" claim");
        }

        try
        {
            var expiry = CompactJws.GetTime(claims, "exp", "token") ?? throw new WitSvidException("token has no \"exp\" claim");
            var jti = CompactJws.GetString(claims, "jti", "token");
            if (jti is { Length: 0 })
            {
                throw new WitSvidException("token \"jti\" is empty");
            }

            return new ParsedToken(
                jws,
                algorithm,
                kid.GetString()!,
                subject,
                expiry,
                CompactJws.GetTime(claims, "iat", "token"),
                CompactJws.GetTime(claims, "nbf", "token"),
                jti,
                ReadConfirmationKey(claims),
                claims.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal).AsReadOnly());
        }
        catch (FormatException ex)
        {
            throw new WitSvidException(ex.Message, ex);
        }
    }

    private static WitConfirmationKey ReadConfirmationKey(JsonElement claims)
    {
        if (!claims.TryGetProperty("cnf", out var cnf))
        {
            throw new WitSvidException("token has no \"cnf\" claim");
        }

        try
        {
            return WitConfirmationKey.Read(cnf);
        }
        catch (FormatException ex)
        {
            throw new WitSvidException("token " + ex.Message, ex);
        }
    }

    private static string ReadAlgorithm(JsonElement header)
    {
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            throw new WitSvidException("token header \"alg\" is missing");
        }

        var name = alg.GetString()!;
        return JwsAlgorithms.IsAllowed(name)
            ? name
            : throw new WitSvidException($"token algorithm \"{name}\" is not allowed ({JwsAlgorithms.AllowedList} only)");
    }

    private static SpiffeId ReadSubject(JsonElement claims)
    {
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString()!.Length == 0)
        {
            throw new WitSvidException("token has no \"sub\" claim");
        }

        SpiffeId id;
        try
        {
            id = SpiffeId.Parse(sub.GetString()!);
        }
        catch (SpiffeIdException ex)
        {
            throw new WitSvidException("token \"sub\" is not a valid SPIFFE ID: " + ex.Message, ex);
        }

        return id.IsRootPath ? throw new WitSvidException($"token \"sub\" \"{id}\" must have a non-root path") : id;
    }

    private static void ValidateTimes(ParsedToken token, DateTimeOffset now)
    {
        if (now > token.Expiry + Leeway)
        {
            throw new WitSvidException($"token has expired (exp {token.Expiry:O})");
        }

        if (token.NotBefore is { } notBefore && notBefore > now + Leeway)
        {
            throw new WitSvidException($"token is not valid yet (nbf {notBefore:O})");
        }
    }

    private sealed record ParsedToken(
        CompactJws Jws,
        string Algorithm,
        string KeyId,
        SpiffeId Subject,
        DateTimeOffset Expiry,
        DateTimeOffset? IssuedAt,
        DateTimeOffset? NotBefore,
        string? Jti,
        WitConfirmationKey ConfirmationKey,
        IReadOnlyDictionary<string, JsonElement> Claims);
}
