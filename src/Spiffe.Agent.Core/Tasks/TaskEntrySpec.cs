using Spiffe.Agent.Core.Attestation;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// The registration entry of a task: parented to the agent, prefetch disabled, a fresh <c>jti</c> in every JWT-SVID,
/// expiring at the task's deadline.
/// </summary>
/// <param name="EntryId">The entry ID (see <see cref="TaskSelectors.NewEntryId"/>).</param>
/// <param name="SpiffeId">The task's SPIFFE ID.</param>
/// <param name="Selectors">The selectors (<c>task:id:&lt;id&gt;</c>).</param>
/// <param name="X509SvidTtl">X509-SVID lifetime (capped by the time left).</param>
/// <param name="JwtSvidTtl">JWT-SVID lifetime (capped by the time left).</param>
/// <param name="ExpiresAt">The task's deadline.</param>
internal sealed record TaskEntrySpec(
    string EntryId,
    SpiffeId SpiffeId,
    SelectorSet Selectors,
    TimeSpan X509SvidTtl,
    TimeSpan JwtSvidTtl,
    DateTimeOffset ExpiresAt);
