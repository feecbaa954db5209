using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// A SPIFFE bundle: the X.509, JWT and WIT authorities of one trust domain plus the optional sequence number and
/// refresh hint, in the JWKS form of the SPIFFE Trust Domain and Bundle standard. Immutable; a bundle is an
/// <see cref="IX509BundleSource"/>, an <see cref="IJwtBundleSource"/> and an <see cref="IWitBundleSource"/> for its trust domain.
/// </summary>
public sealed class SpiffeBundle : IX509BundleSource, IJwtBundleSource, IWitBundleSource
{
    private readonly Dictionary<string, PublicKey> jwtAuthorities;
    private readonly Dictionary<string, PublicKey> witAuthorities;

    /// <summary>Creates a bundle.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="x509Authorities">The X.509 authorities; their keys must be EC (P-256, P-384, P-521) or RSA.</param>
    /// <param name="jwtAuthorities">The JWT authorities by key ID; EC (P-256, P-384, P-521) or RSA.</param>
    /// <exception cref="ArgumentException">The trust domain is the zero value, a key ID is empty or repeated,
    /// or a key is of a type a JWK cannot carry.</exception>
    public SpiffeBundle(
        TrustDomain trustDomain,
        IEnumerable<X509Certificate2> x509Authorities,
        IEnumerable<KeyValuePair<string, PublicKey>> jwtAuthorities)
        : this(trustDomain, x509Authorities, jwtAuthorities, [])
    {
    }

    /// <summary>Creates a bundle with WIT authorities.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="x509Authorities">The X.509 authorities; their keys must be EC (P-256, P-384, P-521) or RSA.</param>
    /// <param name="jwtAuthorities">The JWT authorities by key ID; EC (P-256, P-384, P-521) or RSA.</param>
    /// <param name="witAuthorities">The WIT authorities by key ID; EC (P-256, P-384, P-521) or RSA. A key ID must
    /// not also name a JWT authority.</param>
    /// <exception cref="ArgumentException">The trust domain is the zero value, a key ID is empty or repeated,
    /// or a key is of a type a JWK cannot carry.</exception>
    public SpiffeBundle(
        TrustDomain trustDomain,
        IEnumerable<X509Certificate2> x509Authorities,
        IEnumerable<KeyValuePair<string, PublicKey>> jwtAuthorities,
        IEnumerable<KeyValuePair<string, PublicKey>> witAuthorities)
    {
        ArgumentNullException.ThrowIfNull(x509Authorities);
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }

        var x509 = x509Authorities.ToList();
        foreach (var authority in x509)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(x509Authorities));
            Jwk.RequireSupported(authority.PublicKey, nameof(x509Authorities));
        }

        this.TrustDomain = trustDomain;
        this.X509Authorities = x509.AsReadOnly();
        this.jwtAuthorities = Jwks.CopyJwtAuthorities(jwtAuthorities, nameof(jwtAuthorities));
        this.witAuthorities = WitBundle.CopyAuthorities(witAuthorities, nameof(witAuthorities));
        if (this.witAuthorities.Keys.FirstOrDefault(this.jwtAuthorities.ContainsKey) is { } shared)
        {
            throw new ArgumentException($"key ID \"{shared}\" names both a JWT and a WIT authority", nameof(witAuthorities));
        }
    }

    /// <summary>The trust domain.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The X.509 authorities, in bundle order.</summary>
    public IReadOnlyList<X509Certificate2> X509Authorities { get; }

    /// <summary>The JWT authorities by key ID.</summary>
    public IReadOnlyDictionary<string, PublicKey> JwtAuthorities => this.jwtAuthorities.AsReadOnly();

    /// <summary>The WIT authorities (<c>use: "wit-svid"</c> keys) by key ID; empty when the trust domain does not issue WIT-SVIDs.</summary>
    public IReadOnlyDictionary<string, PublicKey> WitAuthorities => this.witAuthorities.AsReadOnly();

    /// <summary>The <c>spiffe_sequence</c> value, or null when absent.</summary>
    public ulong? SequenceNumber { get; init; }

    /// <summary>The <c>spiffe_refresh_hint</c> value (whole seconds), or null when absent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not a whole number of seconds.</exception>
    public TimeSpan? RefreshHint
    {
        get;
        init
        {
            if (value is { } hint && (hint < TimeSpan.Zero || hint.Ticks % TimeSpan.TicksPerSecond != 0))
            {
                throw new ArgumentOutOfRangeException(nameof(value), "the refresh hint must be a non-negative whole number of seconds");
            }

            field = value;
        }
    }

    /// <summary>
    /// Parses a SPIFFE bundle (JWKS). Rules: the <c>keys</c> array is required; <c>spiffe_sequence</c> is an
    /// unsigned integer and <c>spiffe_refresh_hint</c> a non-negative integer when present; keys whose <c>kty</c>
    /// is not EC or RSA, or whose <c>use</c> is absent or unknown, are ignored; an <c>x509-svid</c> key has no
    /// <c>kid</c>, exactly one standard padded base64 <c>x5c</c> entry, and key members equal to the certificate's
    /// key; a <c>jwt-svid</c> or <c>wit-svid</c> key has a non-empty <c>kid</c>, unique across both uses; EC coordinates have their fixed length and
    /// RSA integers no leading zero; no private key members. Duplicate JSON members are rejected.
    /// </summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The document breaks one of the rules.</exception>
    public static SpiffeBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> json)
    {
        var index = -1;
        try
        {
            using var document = Jwks.Parse(json);
            var root = document.RootElement;
            var sequence = ReadSequence(root);
            var refreshHint = ReadRefreshHint(root);
            var x509 = new List<X509Certificate2>();
            var jwt = new List<KeyValuePair<string, PublicKey>>();
            var wit = new List<KeyValuePair<string, PublicKey>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in root.GetProperty("keys").EnumerateArray())
            {
                index++;
                var jwk = Jwks.RequireObject(element);
                if (!Jwk.IsSupportedKeyType(Jwk.GetString(jwk, "kty")))
                {
                    continue;
                }

                switch (Jwk.GetString(jwk, "use"))
                {
                    case Jwks.X509SvidUse:
                        x509.Add(ReadX509Authority(jwk));
                        break;
                    case Jwks.JwtSvidUse:
                        jwt.Add(Jwks.ReadJwtAuthority(jwk, seen));
                        break;
                    case WitBundle.KeyUse:
                        wit.Add(Jwks.ReadJwtAuthority(jwk, seen));
                        break;
                    default:
                        break;
                }
            }

            return new SpiffeBundle(trustDomain, x509, jwt, wit) { SequenceNumber = sequence, RefreshHint = refreshHint };
        }
        catch (FormatException ex)
        {
            var where = index < 0 ? string.Empty : $"key {index}: ";
            throw new BundleException("cannot parse SPIFFE bundle: " + where + ex.Message, ex);
        }
    }

    /// <summary>
    /// Returns the bundle as a SPIFFE bundle JWKS: <c>spiffe_sequence</c> and <c>spiffe_refresh_hint</c> when set,
    /// then <c>keys</c> with one <c>x509-svid</c> entry per X.509 authority, one <c>jwt-svid</c> entry per JWT authority
    /// and one <c>wit-svid</c> entry per WIT authority.
    /// </summary>
    /// <returns>The UTF-8 JSON.</returns>
    public byte[] Marshal()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (this.SequenceNumber is { } sequence)
            {
                writer.WriteNumber("spiffe_sequence", sequence);
            }

            if (this.RefreshHint is { } hint)
            {
                writer.WriteNumber("spiffe_refresh_hint", (long)hint.TotalSeconds);
            }

            writer.WriteStartArray("keys");
            foreach (var authority in this.X509Authorities)
            {
                writer.WriteStartObject();
                writer.WriteString("use", Jwks.X509SvidUse);
                Jwk.WritePublicKey(writer, authority.PublicKey);
                writer.WriteStartArray("x5c");
                writer.WriteStringValue(Convert.ToBase64String(authority.RawData));
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            foreach (var (kid, key) in this.jwtAuthorities)
            {
                Jwks.WriteJwtAuthority(writer, kid, key, Jwks.JwtSvidUse);
            }

            foreach (var (kid, key) in this.witAuthorities)
            {
                Jwks.WriteJwtAuthority(writer, kid, key, WitBundle.KeyUse);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Looks up a JWT authority by key ID.</summary>
    /// <param name="keyId">The key ID.</param>
    /// <param name="key">The key, when found.</param>
    /// <returns>Whether the key ID is in the bundle.</returns>
    public bool TryGetJwtAuthority(string keyId, [NotNullWhen(true)] out PublicKey? key) =>
        this.jwtAuthorities.TryGetValue(keyId, out key);

    /// <summary>Looks up a WIT authority by key ID.</summary>
    /// <param name="keyId">The key ID.</param>
    /// <param name="key">The key, when found.</param>
    /// <returns>Whether the key ID names a WIT authority in the bundle.</returns>
    public bool TryGetWitAuthority(string keyId, [NotNullWhen(true)] out PublicKey? key) =>
        this.witAuthorities.TryGetValue(keyId, out key);

    /// <summary>Returns the X.509 part of the bundle.</summary>
    /// <returns>An X.509 bundle with the same trust domain and authorities.</returns>
    public X509Bundle ToX509Bundle() => new(this.TrustDomain, this.X509Authorities);

    /// <summary>Returns the JWT part of the bundle.</summary>
    /// <returns>A JWT bundle with the same trust domain and authorities.</returns>
    public JwtBundle ToJwtBundle() => new(this.TrustDomain, this.jwtAuthorities);

    /// <summary>Returns the WIT part of the bundle.</summary>
    /// <returns>A WIT bundle with the same trust domain and WIT authorities.</returns>
    public WitBundle ToWitBundle() => new(this.TrustDomain, this.witAuthorities);

    /// <summary>Returns the X.509 part of this bundle when asked for its own trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The X.509 bundle.</returns>
    /// <exception cref="BundleNotFoundException"><paramref name="trustDomain"/> is another trust domain.</exception>
    public X509Bundle GetX509BundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this.ToX509Bundle() : throw BundleSets.NotFound("X.509", trustDomain);

    /// <summary>Returns the JWT part of this bundle when asked for its own trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The JWT bundle.</returns>
    /// <exception cref="BundleNotFoundException"><paramref name="trustDomain"/> is another trust domain.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this.ToJwtBundle() : throw BundleSets.NotFound("JWT", trustDomain);

    /// <summary>Returns the WIT part of this bundle when asked for its own trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>The WIT bundle.</returns>
    /// <exception cref="BundleNotFoundException"><paramref name="trustDomain"/> is another trust domain.</exception>
    public WitBundle GetWitBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this.ToWitBundle() : throw BundleSets.NotFound("WIT", trustDomain);

    private static ulong? ReadSequence(JsonElement root)
    {
        if (!root.TryGetProperty("spiffe_sequence", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out var sequence)
            ? sequence
            : throw new FormatException("\"spiffe_sequence\" must be an unsigned integer");
    }

    private static TimeSpan? ReadRefreshHint(JsonElement root)
    {
        if (!root.TryGetProperty("spiffe_refresh_hint", out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds) && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException("\"spiffe_refresh_hint\" must be a non-negative integer number of seconds");
    }

    private static X509Certificate2 ReadX509Authority(JsonElement jwk)
    {
        if (jwk.TryGetProperty("kid", out _))
        {
            throw new FormatException($"an \"{Jwks.X509SvidUse}\" key must not have \"kid\"");
        }

        if (!jwk.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() != 1)
        {
            throw new FormatException($"an \"{Jwks.X509SvidUse}\" key must have exactly one \"x5c\" entry");
        }

        var entry = x5c[0];
        if (entry.ValueKind != JsonValueKind.String)
        {
            throw new FormatException("\"x5c\" entry must be a string");
        }

        var der = Base64Strict.DecodeStandard(entry.GetString()!, "\"x5c\" entry");
        var certificates = CertificateEncoding.ParseDerChain(der);
        if (certificates.Count != 1)
        {
            throw new FormatException("\"x5c\" entry must hold exactly one DER certificate");
        }

        var certificate = certificates[0];
        var key = Jwk.ReadPublicKey(jwk);
        return KeyAlgorithms.PublicKeysEqual(key, certificate.PublicKey)
            ? certificate
            : throw new FormatException("key members do not match the \"x5c\" certificate's key");
    }
}
