using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>task</c>: the task verbs, on the agent's admin socket (<c>run</c>, <c>list</c>, <c>show</c>, <c>end</c>).</summary>
internal sealed class TaskCommand : Command
{
    /// <summary>Creates the command with its sub-verbs.</summary>
    public TaskCommand(TaskRunCommand run, TaskListCommand list, TaskShowCommand show, TaskEndCommand end)
        : base("task", "Task-bound identity commands (admin socket)")
    {
        Subcommands.Add(run);
        Subcommands.Add(list);
        Subcommands.Add(show);
        Subcommands.Add(end);
    }
}
