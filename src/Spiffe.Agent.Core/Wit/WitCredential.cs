using System.Security.Cryptography;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// A WIT-SVID minted for one entry and the private key of its <c>cnf.jwk</c>. The key lives only in this object, in
/// memory: it is never logged or written anywhere, and it leaves the agent only through <see cref="ExportPrivateKey"/>
/// when the Workload API may hand it out. Once the cache replaces or drops the credential it is disposed (the key is
/// freed) and every operation throws <see cref="ObjectDisposedException"/>. Thread-safe.
/// </summary>
internal sealed class WitCredential : IDisposable
{
    private readonly AsymmetricAlgorithm _key;
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Wraps a verified WIT-SVID and its key; the credential owns the key.</summary>
    /// <param name="entryId">The entry it was minted for.</param>
    /// <param name="entryRevision">The entry's revision number at mint time.</param>
    /// <param name="svid">The WIT-SVID, whose <c>cnf.jwk</c> is the public half of <paramref name="key"/>.</param>
    /// <param name="key">The private key.</param>
    /// <param name="mintedAt">When the agent received it.</param>
    /// <param name="taskId">The task of the entry, or null for an entry outside every task.</param>
    public WitCredential(string entryId, long entryRevision, WitSvid svid, AsymmetricAlgorithm key, DateTimeOffset mintedAt, string? taskId)
    {
        EntryId = entryId ?? throw new ArgumentNullException(nameof(entryId));
        Svid = svid ?? throw new ArgumentNullException(nameof(svid));
        _key = key ?? throw new ArgumentNullException(nameof(key));
        EntryRevision = entryRevision;
        MintedAt = mintedAt;
        TaskId = taskId;
    }

    /// <summary>The entry it was minted for.</summary>
    public string EntryId { get; }

    /// <summary>The entry's revision number at mint time (a newer revision asks for a new WIT).</summary>
    public long EntryRevision { get; }

    /// <summary>The WIT-SVID.</summary>
    public WitSvid Svid { get; }

    /// <summary>When the agent received it.</summary>
    public DateTimeOffset MintedAt { get; }

    /// <summary>The task of the entry, or null.</summary>
    public string? TaskId { get; }

    /// <summary>The key as the Workload API's <c>wit_svid_key</c> (a private JWK). Secret: never log it.</summary>
    /// <exception cref="ObjectDisposedException">The credential was replaced or dropped.</exception>
    public string ExportPrivateKey()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return WitSvid.ExportPrivateKey(_key, Svid.ConfirmationKey.Algorithm);
        }
    }

    /// <summary>Signs a Workload Proof Token for this WIT (see <see cref="WorkloadProofToken.Create(WitSvid, AsymmetricAlgorithm, WorkloadProofContext, TimeSpan, DateTimeOffset)"/>).</summary>
    /// <exception cref="ArgumentException">The WIT has expired, or the audience or a context token is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The credential was replaced or dropped.</exception>
    public WorkloadProofToken CreateProof(WorkloadProofContext context, TimeSpan lifetime, DateTimeOffset now)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return WorkloadProofToken.Create(Svid, _key, context, lifetime, now);
        }
    }

    /// <summary>Frees the key (idempotent).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _key.Dispose();
            }
        }
    }

    /// <summary>Names the SVID only; the token and the key are secrets.</summary>
    public override string ToString() => $"WIT-SVID {Svid.Id} (entry {EntryId}, expires {Svid.Expiry:O})";
}
