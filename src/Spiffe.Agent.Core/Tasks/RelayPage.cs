namespace Spiffe.Agent.Core.Tasks;

/// <summary>Revocations the server relay recorded after a sequence number, and the sequence to ask from next time.</summary>
internal sealed record RelayPage(IReadOnlyList<RevocationNotice> Revoked, ulong Sequence);
