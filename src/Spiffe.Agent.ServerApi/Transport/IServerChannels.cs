using Grpc.Core;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>Hands out call invokers to the server: a short-lived unauthenticated-client one and the shared mTLS one.</summary>
internal interface IServerChannels
{
    /// <summary>
    /// Opens a connection authenticated by TLS on the server side only (node attestation and the bundle fetch that
    /// follows it). The caller disposes the result after its calls.
    /// </summary>
    AttestationChannel OpenAttestationChannel();

    /// <summary>
    /// Returns the invoker of the shared mTLS connection presenting the current agent SVID; a new SVID yields a new
    /// connection.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no agent SVID yet.</exception>
    CallInvoker GetAgentInvoker();
}
