using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <summary>
/// A one-time join token. <see cref="AgentId"/>, when set, makes attestation create a node-alias style entry
/// <c>{parent = join-token agent ID, spiffe_id = AgentId, selectors = [spiffe_id:&lt;join-token agent ID&gt;]}</c>
/// unless an identical one already exists.
/// </summary>
/// <param name="Token">The token value (the agent sends it as the attestation payload).</param>
/// <param name="ExpiresAt">Expiry, Unix seconds.</param>
/// <param name="AgentId">Optional SPIFFE ID to alias the agent to.</param>
internal sealed record JoinToken(string Token, long ExpiresAt, SpiffeId? AgentId = null);
