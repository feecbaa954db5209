using System.Security.Cryptography;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Server;

/// <summary>One workload X509-SVID to sign: the entry and a fresh key (the CSR is built by the server client).</summary>
/// <param name="EntryId">The entry.</param>
/// <param name="SpiffeId">The entry's SPIFFE ID, put in the CSR's URI SAN.</param>
/// <param name="PrivateKey">The new key (<see cref="ECDsa"/> or <see cref="RSA"/>).</param>
internal sealed record X509SvidMintRequest(string EntryId, SpiffeId SpiffeId, AsymmetricAlgorithm PrivateKey);
