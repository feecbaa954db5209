namespace Spiffe.Agent.Tasks;

/// <summary>A task started (or was active when the watch began).</summary>
internal sealed record TaskStarted(TaskLease Lease, DateTimeOffset At) : TaskEvent(Lease, At);
