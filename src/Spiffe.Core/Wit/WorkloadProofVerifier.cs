using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// Verifies a WIT-SVID together with its Workload Proof Token (draft-ietf-wimse-wpt), the way a receiving workload
/// authenticates a request. The WIT is verified first, then the proof; only a proof that passes every check is
/// recorded in the replay cache. Thread-safe when the replay cache and revocation callback are.
/// </summary>
public sealed class WorkloadProofVerifier
{
    /// <summary>The default <see cref="MaxProofLifetime"/>, 5 minutes.</summary>
    public static readonly TimeSpan DefaultMaxProofLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The default <see cref="ClockSkew"/>, 30 seconds.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(30);

    private static readonly string[] ForbiddenHeaderMembers = ["jwk", "jku", "x5c", "x5u", "crit"];

    private readonly IWitBundleSource bundleSource;
    private readonly IWptReplayCache replayCache;

    /// <summary>Creates a verifier.</summary>
    /// <param name="bundleSource">The trusted WIT bundles.</param>
    /// <param name="replayCache">Where accepted proofs are remembered until they expire.</param>
    public WorkloadProofVerifier(IWitBundleSource bundleSource, IWptReplayCache replayCache)
    {
        ArgumentNullException.ThrowIfNull(bundleSource);
        ArgumentNullException.ThrowIfNull(replayCache);
        this.bundleSource = bundleSource;
        this.replayCache = replayCache;
    }

    /// <summary>
    /// Decides whether a WIT's <c>jti</c> is revoked (true = refuse). When set, a WIT without <c>jti</c> is refused too.
    /// </summary>
    public Func<string, bool>? IsRevoked { get; init; }

    /// <summary>How far ahead of now a proof's <c>exp</c> may be (plus <see cref="ClockSkew"/>); positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan MaxProofLifetime
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = DefaultMaxProofLifetime;

    /// <summary>The clock difference tolerated between sender and verifier on the proof's <c>exp</c> and <c>iat</c>; not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan ClockSkew
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            field = value;
        }
    } = DefaultClockSkew;

    /// <summary>
    /// Verifies a WIT and its proof. In order:
    /// <list type="number">
    /// <item>the WIT is a valid WIT-SVID (<see cref="WitSvid.ParseAndValidate"/>) and, with <see cref="IsRevoked"/>
    /// set, has a <c>jti</c> that is not revoked;</item>
    /// <item>the proof is a well-formed compact JWT;</item>
    /// <item>its <c>alg</c> is string-equal to the WIT's <c>cnf.jwk.alg</c>, and its signature verifies under <c>cnf.jwk</c>;</item>
    /// <item>its <c>typ</c> is <c>wpt+jwt</c> (or <c>application/wpt+jwt</c>) and it has no <c>jwk</c>, <c>jku</c>,
    /// <c>x5c</c>, <c>x5u</c> or <c>crit</c> header;</item>
    /// <item><c>aud</c> (a string, or an array of exactly one) equals <see cref="WorkloadProofContext.Audience"/>;</item>
    /// <item><c>exp</c> is present, not passed, and at most <see cref="MaxProofLifetime"/> ahead; <c>iat</c>, when
    /// present, is not in the future (each within <see cref="ClockSkew"/>);</item>
    /// <item><c>wth</c> is the hash of the WIT;</item>
    /// <item><c>ath</c>, <c>tth</c> and <c>oth</c> match the context's tokens: each hash is present exactly when its
    /// token is, <c>oth</c> names exactly the context's other tokens (an entry the verifier was not given is
    /// refused);</item>
    /// <item><c>jti</c> is a non-empty string not accepted before from this sender within its lifetime.</item>
    /// </list>
    /// </summary>
    /// <param name="wit">The <c>Workload-Identity-Token</c> value.</param>
    /// <param name="proof">The <c>Workload-Proof-Token</c> value.</param>
    /// <param name="context">The expected audience, from trusted configuration, and the context tokens the request presented.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The verified identity.</returns>
    /// <exception cref="WorkloadProofException">A check failed; <see cref="WorkloadProofException.Failure"/> says which.</exception>
    public WorkloadProofVerificationResult Verify(string wit, string proof, WorkloadProofContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(wit);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrEmpty(context.Audience, nameof(context));

        var svid = this.VerifyWit(wit, now);
        var jws = ParseProof(proof);
        var confirmation = svid.ConfirmationKey;
        var algorithm = ReadHeaderString(jws, "alg");
        if (algorithm != confirmation.Algorithm)
        {
            throw new WorkloadProofException(
                WorkloadProofFailure.Algorithm,
                $"proof \"alg\" \"{algorithm}\" is not the WIT's cnf.jwk.alg \"{confirmation.Algorithm}\"");
        }

        if (!JwsAlgorithms.Verify(confirmation.PublicKey, algorithm, jws.SigningInput, jws.Signature))
        {
            throw new WorkloadProofException(WorkloadProofFailure.Signature, "proof signature does not verify under the WIT's cnf.jwk");
        }

        CheckType(jws);
        var claims = jws.Payload;
        CheckAudience(claims, context.Audience);
        var expiry = this.CheckTimes(claims, now);
        CheckHash(claims, "wth", wit, WorkloadProofFailure.WitHash, "WIT");
        CheckHash(claims, "ath", context.AccessToken, WorkloadProofFailure.AccessTokenHash, "access token");
        CheckHash(claims, "tth", context.TransactionToken, WorkloadProofFailure.TransactionTokenHash, "transaction token");
        CheckOtherTokens(claims, context.OtherTokens);

        var jti = ReadString(claims, "jti") is { Length: > 0 } value
            ? value
            : throw new WorkloadProofException(WorkloadProofFailure.Replay, "proof has no \"jti\"");
        if (!this.replayCache.TryAdd(svid.Id + "\n" + jti, expiry + this.ClockSkew, now))
        {
            throw new WorkloadProofException(WorkloadProofFailure.Replay, $"proof \"jti\" \"{jti}\" was already used, or the replay cache is full");
        }

        return new WorkloadProofVerificationResult(svid, jti, expiry);
    }

    private WitSvid VerifyWit(string wit, DateTimeOffset now)
    {
        WitSvid svid;
        try
        {
            svid = WitSvid.ParseAndValidate(wit, this.bundleSource, now);
        }
        catch (WitSvidException ex)
        {
            throw new WorkloadProofException(WorkloadProofFailure.InvalidWit, "WIT: " + ex.Message, ex);
        }

        if (this.IsRevoked is { } isRevoked)
        {
            if (svid.Jti is null)
            {
                throw new WorkloadProofException(WorkloadProofFailure.RevokedWit, "WIT has no \"jti\", so its revocation cannot be checked");
            }

            if (isRevoked(svid.Jti))
            {
                throw new WorkloadProofException(WorkloadProofFailure.RevokedWit, $"WIT \"jti\" \"{svid.Jti}\" is revoked");
            }
        }

        return svid;
    }

    private static CompactJws ParseProof(string proof)
    {
        try
        {
            return CompactJws.Parse(proof);
        }
        catch (FormatException ex)
        {
            throw new WorkloadProofException(WorkloadProofFailure.MalformedProof, "proof: " + ex.Message, ex);
        }
    }

    private static void CheckType(CompactJws jws)
    {
        var typ = ReadHeaderString(jws, "typ");
        if (!string.Equals(typ, WorkloadProofToken.MediaType, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(typ, "application/" + WorkloadProofToken.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new WorkloadProofException(WorkloadProofFailure.Type, $"proof header \"typ\" must be \"{WorkloadProofToken.MediaType}\"");
        }

        foreach (var member in ForbiddenHeaderMembers)
        {
            if (jws.Header.TryGetProperty(member, out _))
            {
                throw new WorkloadProofException(WorkloadProofFailure.Type, $"proof header member \"{member}\" is not allowed");
            }
        }
    }

    private static void CheckAudience(JsonElement claims, string expected)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            throw new WorkloadProofException(WorkloadProofFailure.Audience, "proof has no \"aud\"");
        }

        var value = aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString(),
            JsonValueKind.Array when aud.GetArrayLength() == 1 && aud[0].ValueKind == JsonValueKind.String => aud[0].GetString(),
            _ => throw new WorkloadProofException(WorkloadProofFailure.Audience, "proof \"aud\" must be one string"),
        };
        if (!string.Equals(value, expected, StringComparison.Ordinal))
        {
            throw new WorkloadProofException(WorkloadProofFailure.Audience, $"proof \"aud\" \"{value}\" is not the expected audience \"{expected}\"");
        }
    }

    private DateTimeOffset CheckTimes(JsonElement claims, DateTimeOffset now)
    {
        DateTimeOffset? expiry;
        DateTimeOffset? issuedAt;
        try
        {
            expiry = CompactJws.GetTime(claims, "exp", "proof");
            issuedAt = CompactJws.GetTime(claims, "iat", "proof");
        }
        catch (FormatException ex)
        {
            throw new WorkloadProofException(WorkloadProofFailure.MalformedProof, ex.Message, ex);
        }

        if (expiry is not { } exp)
        {
            throw new WorkloadProofException(WorkloadProofFailure.Expired, "proof has no \"exp\"");
        }

        if (now > exp + this.ClockSkew)
        {
            throw new WorkloadProofException(WorkloadProofFailure.Expired, $"proof has expired (exp {exp:O})");
        }

        if (exp > now + this.MaxProofLifetime + this.ClockSkew)
        {
            throw new WorkloadProofException(
                WorkloadProofFailure.ExpiryTooFar,
                $"proof \"exp\" {exp:O} is more than {this.MaxProofLifetime} ahead");
        }

        if (issuedAt is { } iat && iat > now + this.ClockSkew)
        {
            throw new WorkloadProofException(WorkloadProofFailure.Expired, $"proof was issued in the future (iat {iat:O})");
        }

        return exp;
    }

    /// <summary>Checks a hash claim: present exactly when <paramref name="token"/> is, and equal to its hash.</summary>
    private static void CheckHash(JsonElement claims, string name, string? token, WorkloadProofFailure failure, string what)
    {
        var actual = ReadString(claims, name);
        if (token is null)
        {
            if (actual is not null)
            {
                throw new WorkloadProofException(failure, $"proof has \"{name}\" but the request presents no {what}");
            }

            return;
        }

        if (actual is null)
        {
            throw new WorkloadProofException(failure, $"proof has no \"{name}\" for the presented {what}");
        }

        if (!string.Equals(actual, TokenHash.OfOrNull(token), StringComparison.Ordinal))
        {
            throw new WorkloadProofException(failure, $"proof \"{name}\" does not match the presented {what}");
        }
    }

    private static void CheckOtherTokens(JsonElement claims, IReadOnlyDictionary<string, string>? presented)
    {
        var expected = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in presented ?? new Dictionary<string, string>())
        {
            expected[name.ToLowerInvariant()] = TokenHash.OfOrNull(TokenHash.TrimHeaderValue(value));
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        if (claims.TryGetProperty("oth", out var oth))
        {
            if (oth.ValueKind != JsonValueKind.Object)
            {
                throw new WorkloadProofException(WorkloadProofFailure.OtherTokenHash, "proof \"oth\" must be a JSON object");
            }

            foreach (var entry in oth.EnumerateObject())
            {
                if (!expected.TryGetValue(entry.Name, out var hash))
                {
                    throw new WorkloadProofException(
                        WorkloadProofFailure.OtherTokenHash,
                        $"proof \"oth\" entry \"{entry.Name}\" is not a token this request presents to this verifier");
                }

                if (entry.Value.ValueKind != JsonValueKind.String || !string.Equals(entry.Value.GetString(), hash, StringComparison.Ordinal))
                {
                    throw new WorkloadProofException(WorkloadProofFailure.OtherTokenHash, $"proof \"oth\" entry \"{entry.Name}\" does not match the presented token");
                }

                covered.Add(entry.Name);
            }
        }

        foreach (var name in expected.Keys)
        {
            if (!covered.Contains(name))
            {
                throw new WorkloadProofException(WorkloadProofFailure.OtherTokenHash, $"proof \"oth\" does not cover the presented \"{name}\" token");
            }
        }
    }

    private static string? ReadHeaderString(CompactJws jws, string name)
    {
        try
        {
            return CompactJws.GetString(jws.Header, name, "proof header");
        }
        catch (FormatException ex)
        {
            throw new WorkloadProofException(WorkloadProofFailure.MalformedProof, ex.Message, ex);
        }
    }

    private static string? ReadString(JsonElement claims, string name)
    {
        try
        {
            return CompactJws.GetString(claims, name, "proof");
        }
        catch (FormatException ex)
        {
            throw new WorkloadProofException(WorkloadProofFailure.MalformedProof, ex.Message, ex);
        }
    }
}
