using System.Security.Cryptography;
using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// An <see cref="IWorkloadProofProvider"/> that signs proofs in this process with a WIT-SVID and the private key of
/// its <c>cnf.jwk</c> (for example a WIT and <c>wit_svid_key</c> fetched from the Workload API). It serves one WIT
/// until that expires; the key stays owned by the caller. Thread-safe.
/// </summary>
public sealed class LocalWorkloadProofProvider : IWorkloadProofProvider
{
    private readonly WitSvid wit;
    private readonly AsymmetricAlgorithm key;
    private readonly TimeProvider timeProvider;
    private readonly Lock signing = new();

    /// <summary>Creates a provider.</summary>
    /// <param name="wit">The WIT to present.</param>
    /// <param name="key">The private key of the WIT's <c>cnf.jwk</c>; not disposed by the provider.</param>
    /// <param name="timeProvider">The clock for <c>iat</c> and <c>exp</c>; the system clock by default.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not the WIT's confirmation key.</exception>
    public LocalWorkloadProofProvider(WitSvid wit, AsymmetricAlgorithm key, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(wit);
        ArgumentNullException.ThrowIfNull(key);
        if (!wit.ConfirmationKey.Matches(key))
        {
            throw new ArgumentException("the key is not the private half of the WIT's cnf.jwk", nameof(key));
        }

        this.wit = wit;
        this.key = key;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The lifetime of each proof; <see cref="WorkloadProofToken.DefaultLifetime"/> by default, at most <see cref="WorkloadProofToken.MaxLifetime"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is under 1 second or over the maximum.</exception>
    public TimeSpan Lifetime
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromSeconds(1));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, WorkloadProofToken.MaxLifetime);
            field = value;
        }
    } = WorkloadProofToken.DefaultLifetime;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The WIT has expired.</exception>
    public ValueTask<WorkloadProof> CreateProofAsync(WorkloadProofRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var now = this.timeProvider.GetUtcNow();
        if (now >= this.wit.Expiry)
        {
            throw new InvalidOperationException($"the WIT for {this.wit.Id} expired at {this.wit.Expiry:O}");
        }

        var context = new WorkloadProofContext
        {
            Audience = request.TargetUri,
            AccessToken = request.AccessToken,
            TransactionToken = request.TransactionToken,
            OtherTokens = request.OtherTokens,
        };
        WorkloadProofToken proof;
        lock (this.signing)
        {
            proof = WorkloadProofToken.Create(this.wit, this.key, context, this.Lifetime, now);
        }

        return ValueTask.FromResult(new WorkloadProof(this.wit.Token, proof.Token, this.wit.Id, proof.Expiry));
    }
}
