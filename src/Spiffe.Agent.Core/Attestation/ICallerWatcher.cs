namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// The caller of one connection, tracked from connect time so that a later check can tell whether the PID still
/// names the same live process (protection against PID reuse between connect and attestation).
/// </summary>
/// <remarks>
/// Obtained from <see cref="IPeerTracker.Track"/> once per connection; dispose it when the connection closes (it
/// holds kernel handles). Safe to use from several threads.
/// </remarks>
internal interface ICallerWatcher : IDisposable
{
    /// <summary>The peer credentials read once, when the connection was accepted.</summary>
    CallerCredentials Credentials { get; }

    /// <summary>
    /// True when the process that connected is still alive (not exited, not reaped, not replaced by a new process with
    /// the same PID) and still runs with the user and group it connected with. False after disposal.
    /// </summary>
    bool IsAlive();
}
