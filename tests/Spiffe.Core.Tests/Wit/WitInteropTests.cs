using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Wit;

/// <summary>
/// Checks that WIT-SVIDs validate with a standard JWT library (Microsoft.IdentityModel) against the JWKS that
/// <see cref="WitBundle.Marshal"/> writes, and that the proofs <see cref="WorkloadProofToken"/> makes validate
/// against the WIT's <c>cnf.jwk</c>.
/// </summary>
[TestFixture]
public sealed class WitInteropTests
{
    private const string Target = "https://tool.example/items";

    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/agent/task-1");

    [TestCase(TestKeyType.EcP256, null)]
    [TestCase(TestKeyType.EcP384, null)]
    [TestCase(TestKeyType.Rsa2048, "RS256")]
    [TestCase(TestKeyType.Rsa2048, "PS256")]
    public async Task WitSvid_ValidatedByIdentityModel_AgainstMarshalledWitBundle(TestKeyType issuerKey, string? algorithm)
    {
        // Arrange
        var now = TimeProvider.System.GetUtcNow();
        var issuer = new TestWitIssuer(Td, "wit-" + issuerKey, issuerKey, algorithm);
        var wit = issuer.Issue(Caller, now);
        var jwks = new JsonWebKeySet(Encoding.UTF8.GetString(issuer.CreateWitBundle().Marshal()));
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidTypes = ["wit+jwt"],
            ValidAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"],
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = true,
        };

        // Act
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(wit.Token, parameters);

        // Assert
        Assert.That(result.Exception, Is.Null);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Claims["sub"], Is.EqualTo(Caller.ToString()));
        Assert.That(WitSvid.ParseAndValidate(wit.Token, issuer.CreateWitBundle(), now).Id, Is.EqualTo(Caller));
    }

    [TestCase(TestKeyType.EcP256, "ES256")]
    [TestCase(TestKeyType.Rsa2048, "PS256")]
    public async Task WorkloadProofToken_ValidatedByIdentityModel_AgainstCnfJwk(TestKeyType workloadKey, string algorithm)
    {
        // Arrange
        var now = TimeProvider.System.GetUtcNow();
        var wit = new TestWitIssuer(Td).Issue(Caller, now, workloadKey, algorithm);
        var svid = WitSvid.ParseInsecure(wit.Token, now);
        var proof = WorkloadProofToken.Create(svid, wit.Key, new WorkloadProofContext { Audience = Target }, WorkloadProofToken.DefaultLifetime, now);
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new JsonWebKey(svid.ConfirmationKey.Jwk),
            ValidTypes = ["wpt+jwt"],
            ValidAlgorithms = [algorithm],
            ValidateIssuer = false,
            ValidAudience = Target,
            RequireExpirationTime = true,
        };

        // Act
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(proof.Token, parameters);

        // Assert
        Assert.That(result.Exception, Is.Null);
        Assert.That(result.IsValid, Is.True);
        Assert.That(result.Claims["jti"], Is.EqualTo(proof.Jti));
    }
}
