namespace Spiffe.Agent.Core.Tasks;

/// <summary>An update of the revocation list: the whole list first (<paramref name="IsSnapshot"/>), then new batches.</summary>
internal sealed record RevocationBatch(bool IsSnapshot, IReadOnlyList<RevocationNotice> Revoked);
