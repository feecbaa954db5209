using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Agent.Core.Server;

/// <summary>The server's answer for one <see cref="X509SvidMintRequest"/>.</summary>
/// <param name="EntryId">The entry.</param>
/// <param name="Chain">The signed chain, leaf first; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">The per-item status message when signing failed (e.g. entry not found); otherwise null.</param>
internal sealed record X509SvidMintResult(string EntryId, IReadOnlyList<X509Certificate2>? Chain, string? Error);
