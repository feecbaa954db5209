using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// A Workload Proof Token (draft-ietf-wimse-wpt): a short-lived JWT, signed with the private key of a WIT's
/// <c>cnf.jwk</c>, that proves possession of that key for one HTTP request. It is sent in the
/// <c>Workload-Proof-Token</c> header next to the WIT in <c>Workload-Identity-Token</c>. Create one per request with
/// <see cref="Create(WitSvid, AsymmetricAlgorithm, WorkloadProofContext, TimeSpan, DateTimeOffset)"/>; check one
/// with <see cref="WorkloadProofVerifier"/>.
/// </summary>
public sealed class WorkloadProofToken
{
    /// <summary>The HTTP header that carries the proof, <c>Workload-Proof-Token</c>.</summary>
    public const string HeaderName = "Workload-Proof-Token";

    /// <summary>The HTTP header that carries the WIT, <c>Workload-Identity-Token</c>.</summary>
    public const string WitHeaderName = "Workload-Identity-Token";

    /// <summary>The media type in the <c>typ</c> header, <c>wpt+jwt</c>.</summary>
    public const string MediaType = "wpt+jwt";

    /// <summary>The longest lifetime <see cref="Create(WitSvid, AsymmetricAlgorithm, WorkloadProofContext, TimeSpan, DateTimeOffset)"/> accepts, 5 minutes.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>A suitable lifetime for a proof made just before its request is sent, 1 minute.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(1);

    // Relaxed escaping keeps "wpt+jwt" and URIs readable; the JSON is never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private WorkloadProofToken(string token, string jti, string audience, DateTimeOffset issuedAt, DateTimeOffset expiry)
    {
        this.Token = token;
        this.Jti = jti;
        this.Audience = audience;
        this.IssuedAt = issuedAt;
        this.Expiry = expiry;
    }

    /// <summary>The proof in compact serialization, the value of the <c>Workload-Proof-Token</c> header.</summary>
    public string Token { get; }

    /// <summary>The <c>jti</c>: 128 random bits, base64url.</summary>
    public string Jti { get; }

    /// <summary>The <c>aud</c>.</summary>
    public string Audience { get; }

    /// <summary>The <c>iat</c>.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The <c>exp</c>.</summary>
    public DateTimeOffset Expiry { get; }

    /// <summary>
    /// Creates a proof for one request. Header: <c>alg</c> = the WIT's <c>cnf.jwk.alg</c>, <c>typ</c> =
    /// <c>wpt+jwt</c>. Claims: <c>aud</c>, <c>exp</c> (<paramref name="now"/> + <paramref name="lifetime"/>),
    /// <c>iat</c>, <c>jti</c> (128 random bits), <c>wth</c> (hash of the WIT), and <c>ath</c>, <c>tth</c>,
    /// <c>oth</c> for the context tokens that are set. Each hash is base64url(SHA-256(ASCII of the token));
    /// <c>oth</c> keys are lower-case header names and its values hash the token without leading or trailing spaces.
    /// </summary>
    /// <param name="wit">The WIT the proof accompanies.</param>
    /// <param name="key">The private key of the WIT's <c>cnf.jwk</c>.</param>
    /// <param name="context">The audience and the context tokens the request will carry.</param>
    /// <param name="lifetime">How long the proof is valid: at least 1 second, at most <see cref="MaxLifetime"/>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentException">The WIT has expired; the key is not the WIT's confirmation key; the audience
    /// is empty or has a query or fragment; a token is empty or not ASCII; two other-token header names are equal
    /// ignoring case.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is out of range.</exception>
    public static WorkloadProofToken Create(WitSvid wit, AsymmetricAlgorithm key, WorkloadProofContext context, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wit);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lifetime, MaxLifetime);
        if (now >= wit.Expiry)
        {
            throw new ArgumentException($"the WIT expired at {wit.Expiry:O}", nameof(wit));
        }

        if (!wit.ConfirmationKey.Matches(key))
        {
            throw new ArgumentException("the key is not the private half of the WIT's cnf.jwk", nameof(key));
        }

        if (string.IsNullOrEmpty(context.Audience) || context.Audience.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            throw new ArgumentException("the audience must be non-empty and have no query or fragment", nameof(context));
        }

        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiry = DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds());
        var jti = Base64Strict.EncodeUrl(RandomNumberGenerator.GetBytes(16));
        var algorithm = wit.ConfirmationKey.Algorithm;

        var accessTokenHash = HashContextToken(context.AccessToken, "access token", nameof(context));
        var transactionTokenHash = HashContextToken(context.TransactionToken, "transaction token", nameof(context));
        var otherTokenHashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in context.OtherTokens ?? new Dictionary<string, string>())
        {
            var lower = name.ToLowerInvariant();
            if (lower.Length == 0 || otherTokenHashes.ContainsKey(lower))
            {
                throw new ArgumentException($"other-token header name \"{name}\" is empty or repeated", nameof(context));
            }

            otherTokenHashes.Add(lower, HashContextToken(TokenHash.TrimHeaderValue(value), $"\"{lower}\" token", nameof(context))!);
        }

        var header = Encode(writer =>
        {
            writer.WriteString("alg", algorithm);
            writer.WriteString("typ", MediaType);
        });
        var payload = Encode(writer =>
        {
            writer.WriteString("aud", context.Audience);
            writer.WriteNumber("exp", expiry.ToUnixTimeSeconds());
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteString("jti", jti);
            writer.WriteString("wth", TokenHash.Of(wit.Token));
            WriteIfSet(writer, "ath", accessTokenHash);
            WriteIfSet(writer, "tth", transactionTokenHash);
            if (otherTokenHashes.Count > 0)
            {
                writer.WriteStartObject("oth");
                foreach (var (name, hash) in otherTokenHashes)
                {
                    writer.WriteString(name, hash);
                }

                writer.WriteEndObject();
            }
        });

        var signingInput = header + "." + payload;
        var signature = JwsAlgorithms.Sign(key, algorithm, Encoding.ASCII.GetBytes(signingInput));
        return new WorkloadProofToken(signingInput + "." + Base64Strict.EncodeUrl(signature), jti, context.Audience, issuedAt, expiry);
    }

    /// <summary>
    /// Creates a proof for a WIT given as text (as the Workload API delivers it). The WIT is parsed without
    /// signature verification (<see cref="WitSvid.ParseInsecure"/>) to read its <c>cnf.jwk</c>; then as
    /// <see cref="Create(WitSvid, AsymmetricAlgorithm, WorkloadProofContext, TimeSpan, DateTimeOffset)"/>.
    /// </summary>
    /// <param name="wit">The WIT in compact serialization.</param>
    /// <param name="key">The private key of the WIT's <c>cnf.jwk</c>.</param>
    /// <param name="context">The audience and the context tokens the request will carry.</param>
    /// <param name="lifetime">How long the proof is valid: at least 1 second, at most <see cref="MaxLifetime"/>.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="WitSvidException">The WIT is malformed or expired.</exception>
    /// <exception cref="ArgumentException">As for the other overload.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is out of range.</exception>
    public static WorkloadProofToken Create(string wit, AsymmetricAlgorithm key, WorkloadProofContext context, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wit);
        return Create(WitSvid.ParseInsecure(wit, now), key, context, lifetime, now);
    }

    /// <summary>Hashes a context token given to <c>Create</c>, or returns null when it is not set.</summary>
    private static string? HashContextToken(string? token, string what, string paramName) => token switch
    {
        null => null,
        { Length: > 0 } when TokenHash.IsAscii(token) => TokenHash.Of(token),
        _ => throw new ArgumentException($"the {what} must be non-empty ASCII", paramName),
    };

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Encode(Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        return Base64Strict.EncodeUrl(buffer.ToArray());
    }
}
