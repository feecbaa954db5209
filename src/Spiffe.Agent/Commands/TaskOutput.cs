using System.Globalization;
using Spiffe.Proto.Agent.Task.V1;
using ProtoTask = Spiffe.Proto.Agent.Task.V1.Task;

namespace Spiffe.Agent.Commands;

/// <summary>How the <c>task</c> verbs print tasks.</summary>
internal static class TaskOutput
{
    /// <summary>Prints one task, one field per line.</summary>
    public static async System.Threading.Tasks.Task PrintAsync(TextWriter output, ProtoTask task)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(task);
        await output.WriteLineAsync($"Task ID         : {task.Id}");
        await output.WriteLineAsync($"Agent           : {task.Agent}");
        await output.WriteLineAsync($"SPIFFE ID       : {task.SpiffeId}");
        await output.WriteLineAsync($"Entry ID        : {task.EntryId}");
        await output.WriteLineAsync($"Parent task     : {(task.ParentId.Length > 0 ? task.ParentId : "-")}");
        await output.WriteLineAsync($"State           : {(task.State == TaskState.Ended ? "ended (" + task.EndReason + ")" : "running")}");
        await output.WriteLineAsync($"Started at      : {Time(task.StartedAt)}");
        await output.WriteLineAsync($"Deadline        : {Time(task.Deadline)}");
        if (task.EndedAt > 0)
        {
            await output.WriteLineAsync($"Ended at        : {Time(task.EndedAt)}");
        }

        await output.WriteLineAsync($"Cgroup          : {task.Cgroup}");
        await output.WriteLineAsync($"Main PID        : {(task.MainPid > 0 ? task.MainPid.ToString(CultureInfo.InvariantCulture) : "-")}");
        await output.WriteLineAsync($"Kill on expiry  : {(task.KillOnExpiry ? "yes" : "no")}");
        await output.WriteLineAsync($"Keys exportable : {(task.KeysNotExportable ? "no" : "yes")}");
    }

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
