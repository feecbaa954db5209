namespace Spiffe.Agent.Tasks;

/// <summary>Why a task ended.</summary>
internal enum TaskEndReason
{
    /// <summary>Ended on request (<c>task end</c>, or the launcher after the command exited).</summary>
    Explicit,

    /// <summary>The deadline passed.</summary>
    DeadlineReached,

    /// <summary>The main process exited (its pidfd became readable).</summary>
    MainProcessExited,

    /// <summary>The last process in the task cgroup exited (<c>cgroup.events</c> <c>populated 0</c>).</summary>
    CgroupEmpty,

    /// <summary>The parent task ended.</summary>
    ParentEnded,

    /// <summary>On agent restart the task's main process or cgroup was gone, or its state could not be restored.</summary>
    LostOnRestart,
}
