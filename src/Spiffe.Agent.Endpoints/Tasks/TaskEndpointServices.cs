using Spiffe.Agent.Core.Tasks;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>
/// What the Workload API endpoint uses when task-bound identities are enabled; registered by the composition root
/// (absent when tasks are disabled, and then the endpoint behaves exactly as SPIRE's).
/// </summary>
internal sealed class TaskEndpointServices
{
    /// <summary>Creates the bundle of task services.</summary>
    public TaskEndpointServices(
        TaskEndpointOptions options,
        ITaskDirectory directory,
        ITaskCredentialRecorder recorder,
        IRevocationChecker revocations,
        IRevocationFeed revocationFeed,
        IRequestPolicy policy,
        IAuditSink audit)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Directory = directory ?? throw new ArgumentNullException(nameof(directory));
        Recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        Revocations = revocations ?? throw new ArgumentNullException(nameof(revocations));
        RevocationFeed = revocationFeed ?? throw new ArgumentNullException(nameof(revocationFeed));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        Audit = audit ?? throw new ArgumentNullException(nameof(audit));
    }

    /// <summary>The settings.</summary>
    public TaskEndpointOptions Options { get; }

    /// <summary>Finds the caller's task.</summary>
    public ITaskDirectory Directory { get; }

    /// <summary>Records issued credentials.</summary>
    public ITaskCredentialRecorder Recorder { get; }

    /// <summary>The revocation list.</summary>
    public IRevocationChecker Revocations { get; }

    /// <summary>The revocation stream.</summary>
    public IRevocationFeed RevocationFeed { get; }

    /// <summary>The request policy.</summary>
    public IRequestPolicy Policy { get; }

    /// <summary>The audit trail.</summary>
    public IAuditSink Audit { get; }
}
