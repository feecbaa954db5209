using System.Security.Cryptography;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// The selectors and entry IDs of task-bound identities. The <c>task</c> workload attestor emits
/// <c>task:id:&lt;id&gt;</c> and <c>task:agent:&lt;name&gt;</c> for the processes inside a task's cgroup; a task's
/// registration entry has the single selector <c>task:id:&lt;id&gt;</c>. The agent's own admin identity is the entry
/// with selector <c>spiffe_agent:self</c>, which no attestor emits, so no workload can match it.
/// </summary>
internal static class TaskSelectors
{
    /// <summary>The selector type (and attestor name) of task selectors.</summary>
    public const string Type = "task";

    /// <summary>The selector of the agent's own admin entry.</summary>
    public static Selector AgentSelf { get; } = new("spiffe_agent", "self");

    /// <summary><c>task:id:&lt;taskId&gt;</c>.</summary>
    public static Selector Id(string taskId) => new(Type, "id:" + taskId);

    /// <summary><c>task:agent:&lt;agent&gt;</c>.</summary>
    public static Selector Agent(string agent) => new(Type, "agent:" + agent);

    /// <summary>The task ID named by a <c>task:id:</c> selector, or null for any other selector.</summary>
    public static string? TaskIdOf(Selector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.Type == Type && selector.Value.StartsWith("id:", StringComparison.Ordinal) ? selector.Value[3..] : null;
    }

    /// <summary>
    /// A new registration entry ID for a task: random, so an entry deleted late for an ended task can never be the entry
    /// of a new task that reuses the task ID. The lease keeps it, so a restarted agent still deletes the right entry.
    /// </summary>
    public static string NewEntryId() => "task-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
