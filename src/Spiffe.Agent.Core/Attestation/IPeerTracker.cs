using System.Net.Sockets;

namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// Reads the peer credentials of an accepted Unix-domain socket once, at connection time, and starts watching the
/// caller. The Workload API endpoint calls it once per connection with the socket from Kestrel's
/// <c>IConnectionSocketFeature</c> and keeps the watcher for the connection's lifetime.
/// </summary>
internal interface IPeerTracker
{
    /// <summary>Reads the peer's credentials and returns a watcher for it; the caller owns (disposes) the watcher.</summary>
    /// <param name="acceptedUnixSocket">A connected socket of address family <see cref="AddressFamily.Unix"/>.</param>
    /// <exception cref="ArgumentException">The socket is not a Unix-domain socket.</exception>
    /// <exception cref="CallerTrackingException">
    /// The credentials cannot be read or the caller is already gone; the endpoint should close the connection.
    /// </exception>
    ICallerWatcher Track(Socket acceptedUnixSocket);
}
