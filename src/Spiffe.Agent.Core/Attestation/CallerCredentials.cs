namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// The credentials of the process at the other end of a Unix socket, as the kernel recorded them when it connected
/// (Linux <c>SO_PEERCRED</c>): process ID, effective user ID and effective group ID.
/// </summary>
/// <param name="Pid">The process ID, in the agent's PID namespace.</param>
/// <param name="Uid">The effective user ID at connect time.</param>
/// <param name="Gid">The effective group ID at connect time.</param>
internal readonly record struct CallerCredentials(int Pid, uint Uid, uint Gid);
