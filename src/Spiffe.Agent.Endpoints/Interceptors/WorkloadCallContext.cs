using Grpc.Core;
using Spiffe.Agent.Endpoints.Connections;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>Per-call state the interceptors hand to the Workload API handlers.</summary>
internal static class WorkloadCallContext
{
    private static readonly object CallerKey = new();

    /// <summary>The caller attested by <see cref="WorkloadAttestationInterceptor"/> for this call.</summary>
    /// <exception cref="InvalidOperationException">The call was not attested (a wiring error).</exception>
    public static WorkloadCaller GetCaller(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(CallerKey, out var value) && value is WorkloadCaller caller
            ? caller
            : throw new InvalidOperationException("the Workload API call was not attested");
    }

    /// <summary>Records the attested caller of this call.</summary>
    public static void SetCaller(this ServerCallContext context, WorkloadCaller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.UserState[CallerKey] = caller;
    }

    /// <summary>The tracked caller of the call's connection, or null when the connection was not tracked.</summary>
    public static IWorkloadCallerFeature? GetCallerFeature(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Features.Get<IWorkloadCallerFeature>();
    }
}
