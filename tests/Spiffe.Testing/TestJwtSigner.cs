using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Spiffe.Core;

namespace Spiffe.Testing;

/// <summary>
/// Signs JWT-SVIDs for tests with one key of one trust domain. <see cref="CreateToken(SpiffeId, IReadOnlyList{string}, DateTimeOffset, DateTimeOffset?)"/>
/// makes a well-formed token; <see cref="CreateToken(string, string, string)"/> signs any header and payload text
/// verbatim, for tampered tokens.
/// </summary>
public sealed class TestJwtSigner
{
    /// <summary>Creates a signer with a generated key.</summary>
    /// <param name="trustDomain">The trust domain whose bundle holds the key.</param>
    /// <param name="keyId">The key ID.</param>
    /// <param name="keyType">The key type.</param>
    /// <param name="algorithm">The JWS algorithm; by default ES256/ES384/ES512 for EC keys and RS256 for RSA.</param>
    public TestJwtSigner(TrustDomain trustDomain, string keyId, TestKeyType keyType = TestKeyType.EcP256, string? algorithm = null)
        : this(trustDomain, keyId, TestKeys.Create(keyType), algorithm)
    {
    }

    /// <summary>Creates a signer with the given key.</summary>
    /// <param name="trustDomain">The trust domain whose bundle holds the key.</param>
    /// <param name="keyId">The key ID.</param>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> key pair.</param>
    /// <param name="algorithm">The JWS algorithm; by default ES256/ES384/ES512 for EC keys and RS256 for RSA.</param>
    public TestJwtSigner(TrustDomain trustDomain, string keyId, AsymmetricAlgorithm key, string? algorithm = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        this.TrustDomain = trustDomain;
        this.KeyId = keyId;
        this.Key = key;
        this.Algorithm = algorithm ?? DefaultAlgorithm(key);
    }

    /// <summary>The trust domain.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The key ID written in the <c>kid</c> header.</summary>
    public string KeyId { get; }

    /// <summary>The key pair.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The JWS algorithm of <see cref="CreateToken(SpiffeId, IReadOnlyList{string}, DateTimeOffset, DateTimeOffset?)"/>.</summary>
    public string Algorithm { get; }

    /// <summary>The public key.</summary>
    public PublicKey PublicKey => new(this.Key);

    /// <summary>Encodes bytes as unpadded base64url.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The text.</returns>
    public static string Base64UrlEncode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    /// <summary>Encodes UTF-8 text as unpadded base64url.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The encoded segment.</returns>
    public static string EncodeSegment(string text) => Base64UrlEncode(Encoding.UTF8.GetBytes(text));

    /// <summary>Creates a JWT bundle holding this signer's key.</summary>
    /// <returns>The bundle.</returns>
    public JwtBundle CreateJwtBundle() => new(this.TrustDomain, [new(this.KeyId, this.PublicKey)]);

    /// <summary>Creates a well-formed JWT-SVID: header <c>alg</c>, <c>kid</c>, <c>typ: JWT</c>; claims sub, aud (array), exp, iat.</summary>
    /// <param name="subject">The <c>sub</c> claim.</param>
    /// <param name="audience">The <c>aud</c> claim.</param>
    /// <param name="expiry">The <c>exp</c> claim.</param>
    /// <param name="issuedAt">The <c>iat</c> claim; omitted when null.</param>
    /// <returns>The compact token.</returns>
    public string CreateToken(SpiffeId subject, IReadOnlyList<string> audience, DateTimeOffset expiry, DateTimeOffset? issuedAt = null)
    {
        var header = JsonSerializer.Serialize(new Dictionary<string, string> { ["alg"] = this.Algorithm, ["kid"] = this.KeyId, ["typ"] = "JWT" });
        var claims = new Dictionary<string, object> { ["sub"] = subject.ToString(), ["aud"] = audience, ["exp"] = expiry.ToUnixTimeSeconds() };
        if (issuedAt is { } iat)
        {
            claims["iat"] = iat.ToUnixTimeSeconds();
        }

        return this.CreateToken(header, JsonSerializer.Serialize(claims), this.Algorithm);
    }

    /// <summary>Signs header and payload JSON text verbatim with this signer's key.</summary>
    /// <param name="headerJson">The header JSON.</param>
    /// <param name="payloadJson">The payload JSON.</param>
    /// <param name="algorithm">The algorithm to sign with (RS*, PS*, ES*), whatever the header says.</param>
    /// <returns>The compact token.</returns>
    public string CreateToken(string headerJson, string payloadJson, string algorithm)
    {
        var signingInput = EncodeSegment(headerJson) + "." + EncodeSegment(payloadJson);
        return signingInput + "." + Base64UrlEncode(this.Sign(Encoding.ASCII.GetBytes(signingInput), algorithm));
    }

    /// <summary>Signs bytes the way a JWS algorithm does (ECDSA signatures in IEEE P1363 form).</summary>
    /// <param name="data">The signing input.</param>
    /// <param name="algorithm">RS256/384/512, PS256/384/512 or ES256/384/512.</param>
    /// <returns>The signature.</returns>
    public byte[] Sign(byte[] data, string algorithm)
    {
        var hash = algorithm[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => throw new ArgumentException("unsupported algorithm " + algorithm, nameof(algorithm)),
        };
        return (algorithm[..2], this.Key) switch
        {
            ("ES", ECDsa ecdsa) => ecdsa.SignData(data, hash),
            ("RS", RSA rsa) => rsa.SignData(data, hash, RSASignaturePadding.Pkcs1),
            ("PS", RSA rsa) => rsa.SignData(data, hash, RSASignaturePadding.Pss),
            _ => throw new ArgumentException($"algorithm {algorithm} does not fit the key", nameof(algorithm)),
        };
    }

    private static string DefaultAlgorithm(AsymmetricAlgorithm key) => key switch
    {
        ECDsa { KeySize: 256 } => "ES256",
        ECDsa { KeySize: 384 } => "ES384",
        ECDsa => "ES512",
        _ => "RS256",
    };
}
