using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// The WIT authorities (public keys by key ID that sign WIT-SVIDs) of one trust domain. Immutable; a bundle is its
/// own <see cref="IWitBundleSource"/> for its trust domain.
/// </summary>
public sealed class WitBundle : IWitBundleSource
{
    /// <summary>The JWK <c>use</c> value of a WIT-SVID signing key, <c>wit-svid</c>.</summary>
    public const string KeyUse = "wit-svid";

    private readonly Dictionary<string, PublicKey> authorities;

    /// <summary>Creates a bundle.</summary>
    /// <param name="trustDomain">The trust domain the authorities belong to.</param>
    /// <param name="witAuthorities">The public keys by key ID; keys are EC (P-256, P-384, P-521) or RSA.</param>
    /// <exception cref="ArgumentException">The trust domain is the zero value, a key ID is empty or repeated,
    /// or a key is of an unsupported type.</exception>
    public WitBundle(TrustDomain trustDomain, IEnumerable<KeyValuePair<string, PublicKey>> witAuthorities)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }

        this.TrustDomain = trustDomain;
        this.authorities = CopyAuthorities(witAuthorities, nameof(witAuthorities));
    }

    /// <summary>The trust domain the authorities belong to.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The public keys by key ID.</summary>
    public IReadOnlyDictionary<string, PublicKey> WitAuthorities => this.authorities.AsReadOnly();

    /// <summary>
    /// Parses an RFC 7517 JWKS, the form of a WIT bundle in the Workload API (<c>FetchWITBundles</c>). The
    /// <c>keys</c> array is required; every key must be EC or RSA with a non-empty, unique <c>kid</c>, public
    /// members only, and <c>use</c> absent or <c>wit-svid</c>. One bad key fails the whole set. Other top-level
    /// members are ignored.
    /// </summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="jwks">The UTF-8 JSON.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The document breaks one of the rules.</exception>
    public static WitBundle Parse(TrustDomain trustDomain, ReadOnlySpan<byte> jwks)
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
                if (use is not null and not KeyUse)
                {
                    throw new FormatException($"\"use\" must be absent or \"{KeyUse}\", got \"{use}\"");
                }

                authorities.Add(Jwks.ReadJwtAuthority(jwk, seen));
            }

            return new WitBundle(trustDomain, authorities);
        }
        catch (FormatException ex)
        {
            var where = index < 0 ? string.Empty : $"key {index}: ";
            throw new BundleException("cannot parse WIT bundle: " + where + ex.Message, ex);
        }
    }

    /// <summary>Parses a WIT bundle JWKS given as text, as the Workload API's <c>WITBundlesResponse</c> carries it.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="jwks">The JSON text.</param>
    /// <returns>The bundle.</returns>
    /// <exception cref="BundleException">The document breaks one of the rules of <see cref="Parse(TrustDomain, ReadOnlySpan{byte})"/>.</exception>
    public static WitBundle Parse(TrustDomain trustDomain, string jwks)
    {
        ArgumentNullException.ThrowIfNull(jwks);
        return Parse(trustDomain, Encoding.UTF8.GetBytes(jwks));
    }

    /// <summary>Looks up a key by key ID.</summary>
    /// <param name="keyId">The key ID.</param>
    /// <param name="key">The key, when found.</param>
    /// <returns>Whether the key ID is in the bundle.</returns>
    public bool TryGetWitAuthority(string keyId, [NotNullWhen(true)] out PublicKey? key) =>
        this.authorities.TryGetValue(keyId, out key);

    /// <summary>Returns the bundle as an RFC 7517 JWKS: every key with <c>use: "wit-svid"</c> and its <c>kid</c>.</summary>
    /// <returns>The UTF-8 JSON bytes.</returns>
    public byte[] Marshal()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var (kid, key) in this.authorities)
            {
                Jwks.WriteJwtAuthority(writer, kid, key, KeyUse);
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
    public WitBundle GetWitBundleForTrustDomain(TrustDomain trustDomain) =>
        trustDomain == this.TrustDomain ? this : throw BundleSets.NotFound("WIT", trustDomain);

    /// <summary>Validates and copies WIT authorities given to a bundle constructor.</summary>
    internal static Dictionary<string, PublicKey> CopyAuthorities(IEnumerable<KeyValuePair<string, PublicKey>> authorities, string paramName)
    {
        ArgumentNullException.ThrowIfNull(authorities, paramName);
        var copy = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        foreach (var (kid, key) in authorities)
        {
            if (string.IsNullOrEmpty(kid))
            {
                throw new ArgumentException("a WIT authority has an empty key ID", paramName);
            }

            ArgumentNullException.ThrowIfNull(key, paramName);
            Jwk.RequireSupported(key, paramName);
            if (!copy.TryAdd(kid, key))
            {
                throw new ArgumentException($"duplicate key ID \"{kid}\"", paramName);
            }
        }

        return copy;
    }
}
