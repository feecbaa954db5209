using System.Security.Cryptography;

namespace Spiffe.Agent.Core.Wit;

/// <summary>WIT-SVID and signing-oracle settings shared by the back end and the endpoint.</summary>
internal sealed class WitOptions
{
    /// <summary>The default <see cref="SigningAlgorithm"/>.</summary>
    public const string DefaultSigningAlgorithm = "ES256";

    /// <summary>The default <see cref="MaxProofLifetime"/>.</summary>
    public static readonly TimeSpan DefaultMaxProofLifetime = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The algorithm of every WIT key (<c>cnf.jwk.alg</c>): <c>ES256</c> (P-256, default), <c>ES384</c>, <c>ES512</c>
    /// (P-521), or <c>RS256/384/512</c> and <c>PS256/384/512</c> (RSA 2048).
    /// </summary>
    public string SigningAlgorithm { get; set; } = DefaultSigningAlgorithm;

    /// <summary>How often cached WIT-SVIDs are checked for rotation (and idle ones dropped). Default 5 s.</summary>
    public TimeSpan RotationCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest lifetime of a proof the oracle signs, and the lifetime of one asked for without a lifetime. Between
    /// 1 s and 5 min; default 60 s.
    /// </summary>
    public TimeSpan MaxProofLifetime { get; set; } = DefaultMaxProofLifetime;

    /// <summary>Returns the problems with these settings, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsSupported(SigningAlgorithm))
        {
            errors.Add($"WIT signing algorithm \"{SigningAlgorithm}\" is not one of ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512");
        }

        if (RotationCheckInterval <= TimeSpan.Zero)
        {
            errors.Add("the WIT rotation check interval must be positive");
        }

        if (MaxProofLifetime < TimeSpan.FromSeconds(1) || MaxProofLifetime > Spiffe.Core.WorkloadProofToken.MaxLifetime)
        {
            errors.Add("the maximum proof lifetime must be between 1 second and 5 minutes");
        }

        return errors;
    }

    /// <summary>A fresh key pair for one WIT-SVID, of the type <see cref="SigningAlgorithm"/> needs.</summary>
    public AsymmetricAlgorithm CreateKey() => SigningAlgorithm switch
    {
        "ES256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ES384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        "ES512" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        _ when IsSupported(SigningAlgorithm) => RSA.Create(2048),
        _ => throw new InvalidOperationException($"unsupported WIT signing algorithm \"{SigningAlgorithm}\""),
    };

    private static bool IsSupported(string algorithm) => algorithm is
        "ES256" or "ES384" or "ES512" or "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512";
}
