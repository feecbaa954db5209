namespace Spiffe.Agent.Tasks;

/// <summary>A change in the set of active tasks, as <see cref="TaskManager.Watch"/> streams it.</summary>
/// <param name="Lease">The task.</param>
/// <param name="At">When it happened.</param>
internal abstract record TaskEvent(TaskLease Lease, DateTimeOffset At);
