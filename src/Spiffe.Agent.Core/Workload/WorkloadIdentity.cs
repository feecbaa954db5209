using Spiffe.Core;

namespace Spiffe.Agent.Core.Workload;

/// <summary>One identity of a workload: the matching entry and its current X509-SVID (chain and private key).</summary>
/// <param name="Entry">The registration entry.</param>
/// <param name="Svid">
/// The X509-SVID minted for the entry. Send <see cref="RegistrationEntry.Hint"/> of <paramref name="Entry"/> as the hint
/// (the SVID's own hint is the one at mint time). May be expired when the server has been unreachable for long (SPIRE
/// serves it anyway).
/// </param>
internal sealed record WorkloadIdentity(RegistrationEntry Entry, X509Svid Svid);
