using Spiffe.Agent.Core.Workload;

namespace Spiffe.Agent.Core.Cache;

/// <summary>An entry whose X509-SVID must be minted.</summary>
/// <param name="Entry">The entry as cached when selected.</param>
/// <param name="IsRotation">True when it replaces a cached SVID (stale revision or past its half-life).</param>
internal sealed record MintCandidate(RegistrationEntry Entry, bool IsRotation);
