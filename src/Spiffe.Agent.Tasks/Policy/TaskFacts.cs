namespace Spiffe.Agent.Tasks.Policy;

/// <summary>The caller's task, as CEL sees it under <c>task</c>.</summary>
/// <param name="Id">Task ID.</param>
/// <param name="Agent">Agent name.</param>
/// <param name="Parent">Parent task ID, empty when there is none.</param>
/// <param name="SecondsLeft">Whole seconds until the deadline (never negative).</param>
internal sealed record TaskFacts(string Id, string Agent, string Parent, long SecondsLeft)
{
    /// <summary>The facts of <paramref name="lease"/> at <paramref name="now"/>.</summary>
    public static TaskFacts From(TaskLease lease, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var secondsLeft = (long)Math.Floor((lease.Deadline - now).TotalSeconds);
        return new TaskFacts(lease.TaskId, lease.Agent, lease.ParentTaskId ?? string.Empty, Math.Max(0, secondsLeft));
    }
}
