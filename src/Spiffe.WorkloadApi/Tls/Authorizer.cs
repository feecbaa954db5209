using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// Decides whether a TLS peer whose X509-SVID has already been verified against the trust bundle may connect.
/// Return to allow it; throw <see cref="PeerAuthorizationException"/> (with the reason) to refuse it. See
/// <see cref="Authorizers"/> for the usual policies.
/// </summary>
/// <param name="peerId">The SPIFFE ID of the peer's verified X509-SVID.</param>
/// <param name="verifiedChain">The verified chain: the peer's leaf first, ending with the trusted authority.</param>
public delegate void Authorizer(SpiffeId peerId, IReadOnlyList<X509Certificate2> verifiedChain);
