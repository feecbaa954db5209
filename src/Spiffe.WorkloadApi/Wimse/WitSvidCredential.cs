using System.Security.Cryptography;
using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// A WIT-SVID from the Workload API with the private key of its <c>cnf.jwk</c>, or without it when the agent keeps the
/// key (a task started with keys not exportable): then only the agent can sign proofs for it, through
/// <see cref="AgentWorkloadProofProvider"/>.
/// </summary>
public sealed class WitSvidCredential
{
    /// <summary>Creates a credential.</summary>
    /// <param name="svid">The WIT-SVID.</param>
    /// <param name="privateKey">The private key of the WIT's <c>cnf.jwk</c>, or null when the agent did not hand it out.</param>
    /// <exception cref="ArgumentException"><paramref name="privateKey"/> is not the WIT's confirmation key.</exception>
    public WitSvidCredential(WitSvid svid, AsymmetricAlgorithm? privateKey)
    {
        ArgumentNullException.ThrowIfNull(svid);
        if (privateKey is not null && !svid.ConfirmationKey.Matches(privateKey))
        {
            throw new ArgumentException("the key is not the private half of the WIT's cnf.jwk", nameof(privateKey));
        }

        this.Svid = svid;
        this.PrivateKey = privateKey;
    }

    /// <summary>The WIT-SVID.</summary>
    public WitSvid Svid { get; }

    /// <summary>The SPIFFE ID the WIT names.</summary>
    public SpiffeId Id => this.Svid.Id;

    /// <summary>The operator-chosen hint, or empty.</summary>
    public string Hint => this.Svid.Hint;

    /// <summary>The private key of the WIT's <c>cnf.jwk</c>, or null when the agent keeps it.</summary>
    public AsymmetricAlgorithm? PrivateKey { get; }

    /// <summary>Whether the agent handed out the key; when false, proofs must come from the agent.</summary>
    public bool IsKeyExportable => this.PrivateKey is not null;
}
