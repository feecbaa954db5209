using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Spiffe.Core;

/// <summary>
/// The workload's public key from a WIT's <c>cnf.jwk</c> claim (RFC 7800) and the JWS algorithm every proof of
/// possession must use (<c>cnf.jwk.alg</c>). Obtain one from <see cref="WitSvid.ConfirmationKey"/>, or build one
/// with <see cref="Create"/> when issuing WITs.
/// </summary>
public sealed class WitConfirmationKey
{
    /// <summary>The smallest RSA confirmation key accepted, in bits (RFC 7518 §3.3).</summary>
    public const int MinimumRsaKeySize = 2048;

    private WitConfirmationKey(PublicKey publicKey, string algorithm)
    {
        this.PublicKey = publicKey;
        this.Algorithm = algorithm;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Spiffe.Core.Jwk.WritePublicKey(writer, publicKey);
            writer.WriteString("alg", algorithm);
            writer.WriteEndObject();
        }

        this.Jwk = Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The workload's public key (EC on P-256, P-384 or P-521, or RSA of at least 2048 bits).</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The <c>cnf.jwk.alg</c> value: the only algorithm a proof may be signed with.</summary>
    public string Algorithm { get; }

    /// <summary>
    /// The key as a public JWK with <c>alg</c> (members <c>kty</c>, <c>crv</c>/<c>x</c>/<c>y</c> or
    /// <c>n</c>/<c>e</c>, <c>alg</c>), suitable as the value of <c>cnf.jwk</c>.
    /// </summary>
    public string Jwk { get; }

    /// <summary>Builds a confirmation key for a WIT being issued.</summary>
    /// <param name="publicKey">The workload's public key.</param>
    /// <param name="algorithm">The proof algorithm: RS256/384/512, PS256/384/512 or ES256/384/512, fitting the key.</param>
    /// <returns>The confirmation key.</returns>
    /// <exception cref="ArgumentException">The algorithm is not allowed or does not fit the key, or the key is
    /// neither EC on a JOSE curve nor RSA of at least <see cref="MinimumRsaKeySize"/> bits.</exception>
    public static WitConfirmationKey Create(PublicKey publicKey, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(algorithm);
        Spiffe.Core.Jwk.RequireSupported(publicKey, nameof(publicKey));
        return Check(publicKey, algorithm) is { } problem
            ? throw new ArgumentException(problem, nameof(algorithm))
            : new WitConfirmationKey(publicKey, algorithm);
    }

    /// <summary>Whether <paramref name="key"/> is the private half of this public key.</summary>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> key pair.</param>
    /// <returns>True when the public parts are equal.</returns>
    public bool Matches(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return KeyAlgorithms.PublicKeyMatches(this.PublicKey, key);
    }

    /// <summary>Reads <c>cnf</c>: an object with a public EC or RSA <c>jwk</c> whose <c>alg</c> is allowed and fits the key.</summary>
    internal static WitConfirmationKey Read(JsonElement cnf)
    {
        if (cnf.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"cnf\" must be a JSON object");
        }

        if (!cnf.TryGetProperty("jwk", out var jwk))
        {
            throw new FormatException("\"cnf\" has no \"jwk\"");
        }

        if (jwk.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"cnf.jwk\" must be a JSON object");
        }

        var algorithm = CompactJws.GetString(jwk, "alg", "\"cnf.jwk\" member")
            ?? throw new FormatException("\"cnf.jwk\" has no \"alg\"");
        PublicKey publicKey;
        try
        {
            publicKey = Spiffe.Core.Jwk.ReadPublicKey(jwk);
        }
        catch (FormatException ex)
        {
            throw new FormatException("\"cnf.jwk\": " + ex.Message, ex);
        }

        return Check(publicKey, algorithm) is { } problem
            ? throw new FormatException("\"cnf.jwk\": " + problem)
            : new WitConfirmationKey(publicKey, algorithm);
    }

    private static string? Check(PublicKey publicKey, string algorithm)
    {
        if (!JwsAlgorithms.IsAllowed(algorithm))
        {
            return $"\"alg\" \"{algorithm}\" is not allowed ({JwsAlgorithms.AllowedList} only)";
        }

        if (JwsAlgorithms.Misfit(algorithm, publicKey) is { } misfit)
        {
            return "\"alg\" does not fit the key: " + misfit;
        }

        using var rsa = publicKey.GetRSAPublicKey();
        return rsa is not null && rsa.KeySize < MinimumRsaKeySize
            ? $"RSA key has {rsa.KeySize} bits, at least {MinimumRsaKeySize} are required"
            : null;
    }
}
