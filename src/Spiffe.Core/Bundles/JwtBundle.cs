using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// The JWT authorities (public keys by key ID) of one trust domain. Immutable; a bundle is its own
/// <see cref="IJwtBundleSource"/> for its trust domain.
/// </summary>
public sealed class JwtBundle : IJwtBundleSource
{
    private readonly Dictionary<string, PublicKey> authorities;

    /// <summary>Creates a bundle.</summary>
    /// <param name="trustDomain">The trust domain the authorities belong to.</param>
    /// <param name="jwtAuthorities">The public keys by key ID; keys are EC (P-256, P-384, P-521) or RSA.</param>
    /// <exception cref="ArgumentException">The trust domain is the zero value, a key ID is empty or repeated,
    /// or a key is of an unsupported type.</exception>
    public JwtBundle(TrustDomain trustDomain, IEnumerable<KeyValuePair<string, PublicKey>> jwtAuthorities)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }

        this.TrustDomain = trustDomain;
        this.authorities = Jwks.CopyJwtAuthorities(jwtAuthorities, nameof(jwtAuthorities));
    }

    /// <summary>The trust domain the authorities belong to.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The public keys by key ID.</summary>
    public IReadOnlyDictionary<string, PublicKey> JwtAuthorities => this.authorities.AsReadOnly();

    /// <summary>
    /// Parses an RFC 7517 JWKS, the Workload API form of a JWT bundle. The <c>keys</c> array is required; every key
    /// must be EC or RSA with a non-empty, unique <c>kid</c>, public members only, and <c>use</c> absent or
    /// <c>jwt-svid</c>. One bad key fails the whole set. Other top-level members are ignored.
    /// </summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="jwks">The UTF-8 JSON.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The document breaks one of the rules.</exception>
    public static JwtBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> jwks)
    {
        var index = -1;
        try
        {
            using var document = Jwks.Parse(jwks);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var authorities = new List<KeyValuePair<string, PublicKey>>();
            foreach (var element in document.RootElement.GetProperty("keys").EnumerateArray())
            {
                index++;
                var jwk = Jwks.RequireObject(element);
                var use = Jwk.GetString(jwk, "use");
                if (use is not null and not Jwks.JwtSvidUse)
                {
                    throw new FormatException($"\"use\" must be absent or \"{Jwks.JwtSvidUse}\", got \"{use}\"");
                }

                authorities.Add(Jwks.ReadJwtAuthority(jwk, seen));
            }

            return new JwtBundle(trustDomain, authorities);
        }
        catch (FormatException ex)
        {
            var where = index < 0 ? string.Empty : $"key {index}: ";
            throw new BundleException("cannot parse JWT bundle: " + where + ex.Message, ex);
        }
    }

    /// <summary>Looks up a key by key ID.</summary>
    /// <param name="keyId">The key ID.</param>
    /// <param name="key">The key, when found.</param>
    /// <returns>Whether the key ID is in the bundle.</returns>
    public bool TryGetJwtAuthority(string keyId, [NotNullWhen(true)] out PublicKey? key) =>
        this.authorities.TryGetValue(keyId, out key);

    /// <summary>Returns the bundle as a plain RFC 7517 JWKS (UTF-8 JSON, every key with <c>kid</c>, no <c>use</c>).</summary>
    /// <returns>The JSON bytes.</returns>
    public byte[] Marshal()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var (kid, key) in this.authorities)
            {
                Jwks.WriteJwtAuthority(writer, kid, key, use: null);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Returns this bundle when asked for its own trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns>This bundle.</returns>
    /// <exception cref="BundleNotFoundException"><paramref name="trustDomain"/> is another trust domain.</exception>
    public JwtBundle GetJwtBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this : throw BundleSets.NotFound("JWT", trustDomain);
}
