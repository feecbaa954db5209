namespace Spiffe.Agent.Tasks;

/// <summary>A task ended; its credentials are on the revocation list by the time this is published.</summary>
/// <param name="Lease">The task that ended.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When the end was observed.</param>
internal sealed record TaskEnded(TaskLease Lease, TaskEndReason Reason, DateTimeOffset At) : TaskEvent(Lease, At)
{
    /// <summary>The task ID.</summary>
    public string TaskId => Lease.TaskId;
}
