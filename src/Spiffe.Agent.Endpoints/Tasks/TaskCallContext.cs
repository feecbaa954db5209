using Grpc.Core;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>Per-call task state on <see cref="ServerCallContext.UserState"/>.</summary>
internal static class TaskCallContext
{
    private static readonly object TaskCallKey = new();

    /// <summary>The call's task view, or null when the policy did not apply to the caller.</summary>
    public static TaskCall? GetTaskCall(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(TaskCallKey, out var value) ? value as TaskCall : null;
    }

    /// <summary>Records the call's task view.</summary>
    public static void SetTaskCall(this ServerCallContext context, TaskCall call)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UserState[TaskCallKey] = call;
    }
}
