using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>One identity of a workload: the matching entry and its current X509-SVID (chain and private key).</summary>
/// <param name="Entry">The registration entry.</param>
/// <param name="Svid">
/// The X509-SVID minted for the entry; <see cref="X509Svid.Hint"/> equals the entry's hint. May be expired when the
/// server has been unreachable for long (SPIRE serves it anyway).
/// </param>
internal sealed record WorkloadIdentity(RegistrationEntry Entry, X509Svid Svid);
