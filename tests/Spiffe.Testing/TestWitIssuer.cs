using System.Security.Cryptography;
using System.Text.Json;
using Spiffe.Core;

namespace Spiffe.Testing;

/// <summary>
/// Issues WIT-SVIDs for tests with one signing key of one trust domain. <see cref="Issue"/> makes a well-formed
/// WIT with a fresh workload key; <see cref="CreateToken"/> signs any header and payload text verbatim, and
/// <see cref="ConfirmationJwk"/> writes a <c>cnf.jwk</c> independently of the library under test.
/// </summary>
public sealed class TestWitIssuer
{
    /// <summary>Creates an issuer with a generated signing key.</summary>
    /// <param name="trustDomain">The trust domain whose WIT bundle holds the key.</param>
    /// <param name="keyId">The signing key's ID.</param>
    /// <param name="keyType">The signing key's type.</param>
    /// <param name="algorithm">The WIT's JWS algorithm; by default ES256/ES384/ES512 for EC keys and RS256 for RSA.</param>
    public TestWitIssuer(TrustDomain trustDomain, string keyId = "wit-1", TestKeyType keyType = TestKeyType.EcP256, string? algorithm = null)
    {
        this.Signer = new TestJwtSigner(trustDomain, keyId, keyType, algorithm);
    }

    /// <summary>The signer holding the issuer key.</summary>
    public TestJwtSigner Signer { get; }

    /// <summary>The trust domain.</summary>
    public TrustDomain TrustDomain => this.Signer.TrustDomain;

    /// <summary>The header this issuer writes: <c>alg</c>, <c>kid</c>, <c>typ: wit+jwt</c>.</summary>
    public string Header => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["alg"] = this.Signer.Algorithm,
        ["kid"] = this.Signer.KeyId,
        ["typ"] = "wit+jwt",
    });

    /// <summary>Writes a public JWK with <c>alg</c> for a key pair, as a <c>cnf.jwk</c> value.</summary>
    /// <param name="key">An <see cref="ECDsa"/> or <see cref="RSA"/> key.</param>
    /// <param name="algorithm">The <c>alg</c> member.</param>
    /// <returns>The JSON text.</returns>
    public static string ConfirmationJwk(AsymmetricAlgorithm key, string algorithm)
    {
        var members = new Dictionary<string, string>();
        switch (key)
        {
            case ECDsa ecdsa:
            {
                var p = ecdsa.ExportParameters(false);
                members["kty"] = "EC";
                members["crv"] = ecdsa.KeySize switch { 256 => "P-256", 384 => "P-384", _ => "P-521" };
                members["x"] = TestJwtSigner.Base64UrlEncode(p.Q.X);
                members["y"] = TestJwtSigner.Base64UrlEncode(p.Q.Y);
                break;
            }

            case RSA rsa:
            {
                var p = rsa.ExportParameters(false);
                members["kty"] = "RSA";
                members["n"] = TestJwtSigner.Base64UrlEncode(p.Modulus);
                members["e"] = TestJwtSigner.Base64UrlEncode(p.Exponent);
                break;
            }

            default:
                throw new ArgumentException("unsupported key type", nameof(key));
        }

        members["alg"] = algorithm;
        return JsonSerializer.Serialize(members);
    }

    /// <summary>Creates a WIT bundle holding this issuer's key.</summary>
    /// <returns>The bundle.</returns>
    public WitBundle CreateWitBundle() => new(this.TrustDomain, [new(this.Signer.KeyId, this.Signer.PublicKey)]);

    /// <summary>
    /// Issues a well-formed WIT-SVID with a new workload key: claims <c>sub</c>, <c>exp</c>, <c>iat</c>,
    /// <c>nbf</c>, <c>jti</c> (unless left out) and <c>cnf.jwk</c>.
    /// </summary>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="now">The issue time.</param>
    /// <param name="workloadKeyType">The workload key's type.</param>
    /// <param name="proofAlgorithm">The <c>cnf.jwk.alg</c>; by default ES256/ES384/ES512 for EC keys and RS256 for RSA.</param>
    /// <param name="lifetime">The time to <c>exp</c>; one hour by default.</param>
    /// <param name="includeJti">Whether to set <c>jti</c> (a new GUID).</param>
    /// <returns>The WIT and its key.</returns>
    public TestWit Issue(
        SpiffeId subject,
        DateTimeOffset now,
        TestKeyType workloadKeyType = TestKeyType.EcP256,
        string? proofAlgorithm = null,
        TimeSpan? lifetime = null,
        bool includeJti = true)
    {
        var key = TestKeys.Create(workloadKeyType);
        var algorithm = proofAlgorithm ?? new TestJwtSigner(this.TrustDomain, "workload", key).Algorithm;
        var tokenId = includeJti ? Guid.NewGuid().ToString("N") : null;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject.ToString(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["cnf"] = new Dictionary<string, JsonElement> { ["jwk"] = JsonDocument.Parse(ConfirmationJwk(key, algorithm)).RootElement },
        };
        if (tokenId is not null)
        {
            claims["jti"] = tokenId;
        }

        return new TestWit(this.CreateToken(this.Header, JsonSerializer.Serialize(claims)), subject, tokenId, key, algorithm);
    }

    /// <summary>Signs header and payload JSON text verbatim with the issuer key and algorithm.</summary>
    /// <param name="headerJson">The header JSON.</param>
    /// <param name="payloadJson">The payload JSON.</param>
    /// <returns>The compact token.</returns>
    public string CreateToken(string headerJson, string payloadJson) =>
        this.Signer.CreateToken(headerJson, payloadJson, this.Signer.Algorithm);
}
