namespace Spiffe.Agent.Core.Tasks;

/// <summary>A task started (or was active when the watch began) or ended.</summary>
/// <param name="Task">The task.</param>
/// <param name="EndReason">Null for a start; for an end, the reason (<c>explicit</c>, <c>deadline_reached</c>…).</param>
/// <param name="At">When it happened.</param>
internal sealed record TaskChange(TaskIdentity Task, string? EndReason, DateTimeOffset At);
