namespace Spiffe.Agent.Core.Attestation;

/// <summary>A workload attestor could not produce selectors for a process; the message says why.</summary>
internal sealed class WorkloadAttestorException : Exception
{
    /// <summary>Creates the exception with a message that names the failed rule.</summary>
    public WorkloadAttestorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public WorkloadAttestorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
