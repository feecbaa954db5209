namespace Spiffe.Core;

/// <summary>The rule a WIT and Workload Proof Token pair failed, in the order <see cref="WorkloadProofVerifier"/> checks them.</summary>
public enum WorkloadProofFailure
{
    /// <summary>The WIT is not a valid WIT-SVID (format, signature, trust, expiry).</summary>
    InvalidWit,

    /// <summary>The WIT's <c>jti</c> is revoked, or the WIT has no <c>jti</c> while a revocation check is configured.</summary>
    RevokedWit,

    /// <summary>The proof is not a well-formed compact JWT, or a claim has the wrong type.</summary>
    MalformedProof,

    /// <summary>The proof's <c>alg</c> is not string-equal to the WIT's <c>cnf.jwk.alg</c>.</summary>
    Algorithm,

    /// <summary>The proof's signature does not verify under the WIT's <c>cnf.jwk</c>.</summary>
    Signature,

    /// <summary>The proof's <c>typ</c> is not <c>wpt+jwt</c>, or its header carries a member that is not allowed.</summary>
    Type,

    /// <summary>The proof's <c>aud</c> is not the expected audience.</summary>
    Audience,

    /// <summary>The proof has no <c>exp</c>, or it has passed (or <c>iat</c> is in the future).</summary>
    Expired,

    /// <summary>The proof's <c>exp</c> is further ahead than the verifier allows.</summary>
    ExpiryTooFar,

    /// <summary>The proof's <c>wth</c> is missing or is not the hash of the presented WIT.</summary>
    WitHash,

    /// <summary>The proof's <c>ath</c> does not match the presented access token, or one of them is missing.</summary>
    AccessTokenHash,

    /// <summary>The proof's <c>tth</c> does not match the presented transaction token, or one of them is missing.</summary>
    TransactionTokenHash,

    /// <summary>The proof's <c>oth</c> names a token the request does not present or the verifier does not understand,
    /// misses a presented token, or holds a wrong hash.</summary>
    OtherTokenHash,

    /// <summary>The proof's <c>jti</c> is missing or was already used within its lifetime (or the replay cache is full).</summary>
    Replay,
}
