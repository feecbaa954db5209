using Spiffe.Server.Ca;

namespace Spiffe.Server.Hosting;

/// <summary>DI holder for the optional upstream authority.</summary>
/// <param name="Authority">The loaded upstream authority, or null for a self-signed CA.</param>
internal sealed record UpstreamAuthorityHolder(UpstreamAuthority? Authority);
