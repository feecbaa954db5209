using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.AgentFacing;

/// <summary>State between sending an x509pop challenge and checking the answer.</summary>
/// <param name="Leaf">The agent's leaf certificate (verified).</param>
/// <param name="Nonce">The 32-byte challenge nonce.</param>
/// <param name="Payload">The challenge JSON sent to the agent.</param>
internal sealed record X509PopChallenge(X509Certificate2 Leaf, byte[] Nonce, byte[] Payload);
