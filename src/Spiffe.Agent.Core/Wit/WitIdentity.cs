using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Core.Wit;

/// <summary>One WIT identity of a workload: the matching entry (current revision, for the hint) and its WIT credential.</summary>
/// <param name="Entry">The registration entry.</param>
/// <param name="Credential">The WIT-SVID and its key.</param>
internal sealed record WitIdentity(RegistrationEntry Entry, WitCredential Credential);
