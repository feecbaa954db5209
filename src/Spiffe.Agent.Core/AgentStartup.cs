namespace Spiffe.Agent.Core;

/// <summary>The <see cref="IAgentStartup"/> signals, completed by <see cref="AgentService"/>.</summary>
internal sealed class AgentStartup : IAgentStartup
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<AgentExitRequest> _mustExit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc/>
    public Task Ready => _ready.Task;

    /// <inheritdoc/>
    public Task<AgentExitRequest> MustExit => _mustExit.Task;

    /// <summary>Signals that the agent SVID is valid and the first sync succeeded.</summary>
    public void SetReady() => _ready.TrySetResult();

    /// <summary>Signals that the agent must exit; faults <see cref="Ready"/> if it had not completed.</summary>
    public void SetMustExit(AgentExitRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ready.TrySetException(new AgentMustExitException(request));
        _mustExit.TrySetResult(request);
    }

    /// <summary>Signals that the agent stopped before it was ready.</summary>
    public void SetStopped() => _ready.TrySetCanceled();
}
