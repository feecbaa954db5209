namespace Spiffe.Agent.Core.Wit;

/// <summary>One WIT-SVID to sign: the entry, the public key to bind as <c>cnf.jwk</c> and its JOSE algorithm.</summary>
/// <param name="EntryId">The registration entry.</param>
/// <param name="PublicKey">The workload key's public half, PKIX (SubjectPublicKeyInfo) DER.</param>
/// <param name="SigningAlgorithm">The algorithm every proof with this key uses, e.g. <c>ES256</c>.</param>
internal sealed record WitSvidMintRequest(string EntryId, ReadOnlyMemory<byte> PublicKey, string SigningAlgorithm);
