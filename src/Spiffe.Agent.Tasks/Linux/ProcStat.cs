namespace Spiffe.Agent.Tasks.Linux;

/// <summary>The fields of <c>/proc/&lt;pid&gt;/stat</c> task supervision reads.</summary>
/// <param name="State">Process state letter (<c>R</c>, <c>S</c>, <c>T</c> for stopped, <c>Z</c> for zombie…).</param>
/// <param name="StartTime">Start time in clock ticks since boot; with the PID it identifies one process instance.</param>
internal sealed record ProcStat(char State, ulong StartTime);
