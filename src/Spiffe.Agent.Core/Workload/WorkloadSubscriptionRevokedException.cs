namespace Spiffe.Agent.Core.Workload;

/// <summary>
/// Completes a <see cref="IWorkloadSubscription.Updates"/> channel when the agent withdraws a workload's identities
/// (for example a revoked task); the Workload API ends the stream with <c>PermissionDenied</c> and this message.
/// </summary>
internal sealed class WorkloadSubscriptionRevokedException : Exception
{
    /// <summary>Creates the exception with a message that says why the identities were withdrawn.</summary>
    public WorkloadSubscriptionRevokedException(string message)
        : base(message)
    {
    }
}
