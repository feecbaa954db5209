namespace Spiffe.Agent.Core;

/// <summary>Faults <see cref="IAgentStartup.Ready"/> when the agent cannot start; carries the exit request.</summary>
internal sealed class AgentMustExitException : Exception
{
    /// <summary>Creates the exception for an exit request.</summary>
    public AgentMustExitException(AgentExitRequest request)
        : base(request?.Message)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
    }

    /// <summary>Creates the exception for an exit request with the error that caused it.</summary>
    public AgentMustExitException(AgentExitRequest request, Exception innerException)
        : base(request?.Message, innerException)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
    }

    /// <summary>Why the agent must exit.</summary>
    public AgentExitRequest Request { get; }
}
