using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// A JWT-SVID: a JWS compact-serialized token whose <c>sub</c> is a SPIFFE ID. Obtain one with
/// <see cref="ParseAndValidate"/> (signature checked against the bundle of the <c>sub</c> trust domain) or, when
/// only the claims are needed from a trusted channel such as the Workload API, <see cref="ParseInsecure"/>.
/// </summary>
public sealed class JwtSvid
{
    /// <summary>The clock skew allowed on <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public static readonly TimeSpan Leeway = TimeSpan.FromMinutes(1);

    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };
    private static readonly string[] HeaderMembers = ["alg", "kid", "typ"];

    private JwtSvid(string token, ParsedToken parsed, string hint)
    {
        this.Token = token;
        this.Id = parsed.Subject;
        this.Audience = parsed.Audience;
        this.Expiry = parsed.Expiry;
        this.IssuedAt = parsed.IssuedAt;
        this.Claims = parsed.Claims;
        this.Hint = hint;
    }

    /// <summary>The SPIFFE ID in <c>sub</c> (never root-path).</summary>
    public SpiffeId Id { get; }

    /// <summary>The <c>aud</c> values.</summary>
    public IReadOnlyList<string> Audience { get; }

    /// <summary>The <c>exp</c> time.</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary>The <c>iat</c> time, when present.</summary>
    public DateTimeOffset? IssuedAt { get; }

    /// <summary>Every claim of the payload, by name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Claims { get; }

    /// <summary>The token in compact serialization, as received.</summary>
    public string Token { get; }

    /// <summary>The operator-chosen hint from the Workload API, or empty.</summary>
    public string Hint { get; }

    /// <summary>
    /// Parses and validates a JWT-SVID. In order: compact serialization (three unpadded base64url segments);
    /// <c>alg</c> in RS256/384/512, PS256/384/512, ES256/384/512; <c>typ</c> absent, <c>JWT</c> or <c>JOSE</c>; no
    /// header members besides <c>alg</c>, <c>kid</c>, <c>typ</c>; <c>sub</c> a SPIFFE ID with a non-root path;
    /// integer <c>exp</c>; non-empty <c>aud</c>; non-empty <c>kid</c> naming a key in the JWT bundle of the
    /// <c>sub</c> trust domain; <c>alg</c> fits that key; the signature verifies; <c>aud</c> contains every
    /// expected audience; <c>exp</c>, <c>nbf</c> and <c>iat</c> hold at <paramref name="now"/> within <see cref="Leeway"/>.
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="bundleSource">The trusted JWT bundles.</param>
    /// <param name="audience">The expected audience values; at least one, all must be in <c>aud</c>.</param>
    /// <param name="now">The validation time.</param>
    /// <returns>The validated SVID.</returns>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty.</exception>
    /// <exception cref="JwtSvidException">The token is not a valid JWT-SVID; the message names the rule.</exception>
    public static JwtSvid ParseAndValidate(string token, IJwtBundleSource bundleSource, IEnumerable<string> audience, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(bundleSource);
        ArgumentNullException.ThrowIfNull(audience);
        var expected = audience.ToList();
        if (expected.Count == 0)
        {
            throw new ArgumentException("at least one audience is required", nameof(audience));
        }

        var parsed = Parse(token);
        if (string.IsNullOrEmpty(parsed.KeyId))
        {
            throw new JwtSvidException("token header \"kid\" is missing or empty");
        }

        JwtBundle bundle;
        try
        {
            bundle = bundleSource.GetJwtBundleForTrustDomain(parsed.Subject.TrustDomain);
        }
        catch (BundleNotFoundException ex)
        {
            throw new JwtSvidException($"no JWT bundle for trust domain \"{parsed.Subject.TrustDomain}\"", ex);
        }

        if (!bundle.TryGetJwtAuthority(parsed.KeyId, out var key))
        {
            throw new JwtSvidException($"no JWT authority with key ID \"{parsed.KeyId}\" in the bundle for trust domain \"{parsed.Subject.TrustDomain}\"");
        }

        VerifySignature(parsed, key);
        ValidateClaims(parsed, expected, now);
        return new JwtSvid(token, parsed, string.Empty);
    }

    /// <summary>
    /// Parses a JWT-SVID without verifying its signature: every rule of <see cref="ParseAndValidate"/> except the
    /// <c>kid</c>, bundle and signature checks. Use only for tokens from a trusted channel (the Workload API).
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="audience">The expected audience values, all of which must be in <c>aud</c>; none to skip that check.</param>
    /// <param name="now">The validation time for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</param>
    /// <param name="hint">The hint that came with the SVID, if any.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="JwtSvidException">The token breaks a JWT-SVID rule; the message names it.</exception>
    public static JwtSvid ParseInsecure(string token, IEnumerable<string> audience, DateTimeOffset now, string? hint = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(audience);
        var parsed = Parse(token);
        ValidateClaims(parsed, [.. audience], now);
        return new JwtSvid(token, parsed, hint ?? string.Empty);
    }

    private static ParsedToken Parse(string token)
    {
        if (token.TrimStart().StartsWith('{'))
        {
            throw new JwtSvidException("token must use JWS compact serialization, not JSON serialization");
        }

        var segments = token.Split('.');
        if (segments.Length != 3)
        {
            throw new JwtSvidException($"token must have 3 dot-separated segments in compact serialization, found {segments.Length}");
        }

        using var header = DecodeJson(segments[0], "header");
        var root = header.RootElement;
        var algorithm = ReadAlgorithm(root);

        if (root.TryGetProperty("typ", out var typ) && (typ.ValueKind != JsonValueKind.String || typ.GetString() is not ("JWT" or "JOSE")))
        {
            throw new JwtSvidException("token header \"typ\" must be \"JWT\" or \"JOSE\" when present");
        }

        foreach (var member in root.EnumerateObject())
        {
            if (!HeaderMembers.Contains(member.Name, StringComparer.Ordinal))
            {
                throw new JwtSvidException($"token header member \"{member.Name}\" is not allowed (only alg, kid, typ)");
            }
        }

        string? keyId = null;
        if (root.TryGetProperty("kid", out var kid))
        {
            keyId = kid.ValueKind == JsonValueKind.String ? kid.GetString() : throw new JwtSvidException("token header \"kid\" must be a string");
        }

        using var payload = DecodeJson(segments[1], "payload");
        var claims = payload.RootElement;
        var subject = ReadSubject(claims);
        var expiry = ReadTime(claims, "exp") ?? throw new JwtSvidException("token has no \"exp\" claim");
        var audience = ReadAudience(claims);
        var issuedAt = ReadTime(claims, "iat");
        var notBefore = ReadTime(claims, "nbf");
        var signature = Decode(segments[2], "signature");
        var all = claims.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);

        return new ParsedToken(
            algorithm,
            keyId,
            Encoding.ASCII.GetBytes(segments[0] + "." + segments[1]),
            signature,
            subject,
            audience.AsReadOnly(),
            expiry,
            issuedAt,
            notBefore,
            all.AsReadOnly());
    }

    private static string ReadAlgorithm(JsonElement header)
    {
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            throw new JwtSvidException("token header \"alg\" is missing");
        }

        var name = alg.GetString()!;
        return name is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512"
            ? name
            : throw new JwtSvidException($"token algorithm \"{name}\" is not allowed (RS256/384/512, PS256/384/512, ES256/384/512 only)");
    }

    private static SpiffeId ReadSubject(JsonElement claims)
    {
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString()!.Length == 0)
        {
            throw new JwtSvidException("token has no \"sub\" claim");
        }

        SpiffeId id;
        try
        {
            id = SpiffeId.Parse(sub.GetString()!);
        }
        catch (SpiffeIdException ex)
        {
            throw new JwtSvidException("token \"sub\" is not a valid SPIFFE ID: " + ex.Message, ex);
        }

        return id.IsRootPath ? throw new JwtSvidException($"token \"sub\" \"{id}\" must have a non-root path") : id;
    }

    private static List<string> ReadAudience(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            throw new JwtSvidException("token has no \"aud\" claim");
        }

        var values = aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray()
                .Select(a => a.ValueKind == JsonValueKind.String ? a.GetString()! : throw new JwtSvidException("token \"aud\" entries must be strings"))
                .ToList(),
            _ => throw new JwtSvidException("token \"aud\" must be a string or an array of strings"),
        };
        return values.Count > 0 && values.TrueForAll(v => v.Length > 0)
            ? values
            : throw new JwtSvidException("token \"aud\" claim is empty");
    }

    private static DateTimeOffset? ReadTime(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds))
        {
            throw new JwtSvidException($"token \"{name}\" must be an integer NumericDate");
        }

        return seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new JwtSvidException($"token \"{name}\" is out of range");
    }

    private static JsonDocument DecodeJson(string segment, string what)
    {
        var bytes = Decode(segment, what);
        try
        {
            var document = JsonDocument.Parse(bytes, JsonOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException ex)
        {
            throw new JwtSvidException($"token {what} is not valid JSON: {ex.Message}", ex);
        }

        throw new JwtSvidException($"token {what} must be a JSON object");
    }

    private static byte[] Decode(string segment, string what)
    {
        if (segment.Length == 0)
        {
            throw new JwtSvidException($"token {what} segment is empty");
        }

        try
        {
            return Base64Strict.DecodeUrl(segment, $"token {what} segment");
        }
        catch (FormatException ex)
        {
            throw new JwtSvidException(ex.Message, ex);
        }
    }

    private static void VerifySignature(ParsedToken token, PublicKey key)
    {
        var hash = token.Algorithm[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };

        bool valid;
        if (token.Algorithm.StartsWith("ES", StringComparison.Ordinal))
        {
            using var ecdsa = key.GetECDsaPublicKey()
                ?? throw new JwtSvidException($"token algorithm {token.Algorithm} does not fit the {key.Oid.FriendlyName} key \"{token.KeyId}\"");
            var curve = KeyAlgorithms.JoseCurveName(ecdsa.ExportParameters(false).Curve);
            var expectedCurve = token.Algorithm switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
            if (curve != expectedCurve)
            {
                throw new JwtSvidException($"token algorithm {token.Algorithm} needs a {expectedCurve} key, but key \"{token.KeyId}\" is on {curve}");
            }

            var length = 2 * KeyAlgorithms.CoordinateLength(expectedCurve);
            if (token.Signature.Length != length)
            {
                throw new JwtSvidException($"token {token.Algorithm} signature must be {length} bytes (IEEE P1363 r||s), got {token.Signature.Length}");
            }

            valid = ecdsa.VerifyData(token.SigningInput, token.Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        else
        {
            using var rsa = key.GetRSAPublicKey()
                ?? throw new JwtSvidException($"token algorithm {token.Algorithm} does not fit the {key.Oid.FriendlyName} key \"{token.KeyId}\"");
            var padding = token.Algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            valid = rsa.VerifyData(token.SigningInput, token.Signature, hash, padding);
        }

        if (!valid)
        {
            throw new JwtSvidException("token signature verification failed");
        }
    }

    private static void ValidateClaims(ParsedToken token, List<string> expectedAudience, DateTimeOffset now)
    {
        foreach (var audience in expectedAudience)
        {
            if (!token.Audience.Contains(audience, StringComparer.Ordinal))
            {
                throw new JwtSvidException($"expected audience \"{audience}\" is not in the token \"aud\" claim");
            }
        }

        if (now > token.Expiry + Leeway)
        {
            throw new JwtSvidException($"token has expired (exp {token.Expiry:O})");
        }

        if (token.NotBefore is { } notBefore && notBefore > now + Leeway)
        {
            throw new JwtSvidException($"token is not valid yet (nbf {notBefore:O})");
        }

        if (token.IssuedAt is { } issuedAt && issuedAt > now + Leeway)
        {
            throw new JwtSvidException($"token was issued in the future (iat {issuedAt:O})");
        }
    }

    private sealed record ParsedToken(
        string Algorithm,
        string? KeyId,
        byte[] SigningInput,
        byte[] Signature,
        SpiffeId Subject,
        IReadOnlyList<string> Audience,
        DateTimeOffset Expiry,
        DateTimeOffset? IssuedAt,
        DateTimeOffset? NotBefore,
        IReadOnlyDictionary<string, JsonElement> Claims);
}
