namespace Spiffe.Agent.Core.Tasks;

/// <summary>Streams the revocation list: a snapshot first, then every batch as it is revoked (locally or relayed).</summary>
internal interface IRevocationFeed
{
    /// <summary>Streams until cancelled; a slow reader never loses a batch.</summary>
    IAsyncEnumerable<RevocationBatch> WatchAsync(CancellationToken cancellationToken);
}
