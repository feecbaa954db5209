namespace Spiffe.Agent.Core;

/// <summary>
/// Readiness and fatal-stop signals of the agent back end (node attestation, sync, rotation), which runs as a hosted
/// service registered by <see cref="AgentCoreServiceCollectionExtensions.AddAgentCore"/>.
/// </summary>
/// <remarks>
/// The Workload API socket must be created only after <see cref="Ready"/> completed successfully (SPIRE: attestation
/// and the first full sync). When <see cref="MustExit"/> completes, the back end has already logged the message,
/// deleted the stored SVID if the reason requires it, and asked the host to stop
/// (<c>IHostApplicationLifetime.StopApplication</c>); the composition root should print the message and exit non-zero.
/// </remarks>
internal interface IAgentStartup
{
    /// <summary>
    /// Completes when the agent holds a valid agent SVID and the first sync with the server succeeded. Faults with
    /// <see cref="AgentMustExitException"/> when startup fails for good; cancelled when the host stops first.
    /// </summary>
    Task Ready { get; }

    /// <summary>
    /// Completes (never faults) when the agent must exit, before or after <see cref="Ready"/> (e.g. banned, or the
    /// server demands re-attestation that this attestation method cannot do). Never completes otherwise.
    /// </summary>
    Task<AgentExitRequest> MustExit { get; }
}
