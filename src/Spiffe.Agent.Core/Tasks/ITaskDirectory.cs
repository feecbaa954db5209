namespace Spiffe.Agent.Core.Tasks;

/// <summary>Finds active tasks, by ID or by the process that calls (kernel truth: the process's cgroup). Thread-safe, lock-free.</summary>
internal interface ITaskDirectory
{
    /// <summary>The active task with this ID, or null.</summary>
    TaskIdentity? Find(string taskId);

    /// <summary>The process's cgroup and active task; null when the process does not exist.</summary>
    TaskProcess? FindProcess(int pid);

    /// <summary>The active tasks, oldest first.</summary>
    IReadOnlyList<TaskIdentity> List();
}
