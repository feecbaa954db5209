using System.Security.Cryptography;
using Spiffe.Core;

namespace Spiffe.Testing;

/// <summary>A WIT-SVID made by <see cref="TestWitIssuer"/> with the workload key its <c>cnf.jwk</c> names.</summary>
public sealed class TestWit
{
    /// <summary>Creates the record.</summary>
    /// <param name="token">The WIT in compact serialization.</param>
    /// <param name="id">The <c>sub</c>.</param>
    /// <param name="jti">The <c>jti</c>, or null when the WIT has none.</param>
    /// <param name="key">The workload key pair.</param>
    /// <param name="algorithm">The <c>cnf.jwk.alg</c>.</param>
    public TestWit(string token, SpiffeId id, string? jti, AsymmetricAlgorithm key, string algorithm)
    {
        this.Token = token;
        this.Id = id;
        this.Jti = jti;
        this.Key = key;
        this.Algorithm = algorithm;
    }

    /// <summary>The WIT in compact serialization.</summary>
    public string Token { get; }

    /// <summary>The <c>sub</c>.</summary>
    public SpiffeId Id { get; }

    /// <summary>The <c>jti</c>, or null when the WIT has none.</summary>
    public string? Jti { get; }

    /// <summary>The workload key pair whose public half is <c>cnf.jwk</c>.</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>The <c>cnf.jwk.alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Signs any proof header and payload text verbatim with the workload key, for tampered proofs.</summary>
    /// <param name="headerJson">The header JSON.</param>
    /// <param name="payloadJson">The payload JSON.</param>
    /// <param name="algorithm">The algorithm to sign with; by default <see cref="Algorithm"/>.</param>
    /// <returns>The compact token.</returns>
    public string SignProof(string headerJson, string payloadJson, string? algorithm = null) =>
        new TestJwtSigner(this.Id.TrustDomain, "workload", this.Key).CreateToken(headerJson, payloadJson, algorithm ?? this.Algorithm);
}
