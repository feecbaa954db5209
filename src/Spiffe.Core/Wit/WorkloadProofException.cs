namespace Spiffe.Core;

/// <summary>
/// Thrown when a WIT and Workload Proof Token pair fails verification; <see cref="Failure"/> says which rule, the
/// message says how.
/// </summary>
public sealed class WorkloadProofException : Exception
{
    /// <summary>Creates an exception with a default message for a malformed proof.</summary>
    public WorkloadProofException()
        : this(WorkloadProofFailure.MalformedProof, "invalid workload proof")
    {
    }

    /// <summary>Creates an exception with the given message for a malformed proof.</summary>
    /// <param name="message">The rule that was broken.</param>
    public WorkloadProofException(string message)
        : this(WorkloadProofFailure.MalformedProof, message)
    {
    }

    /// <summary>Creates an exception with the given message and cause for a malformed proof.</summary>
    /// <param name="message">The rule that was broken.</param>
    /// <param name="innerException">The underlying error.</param>
    public WorkloadProofException(string message, Exception innerException)
        : this(WorkloadProofFailure.MalformedProof, message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed rule.</summary>
    /// <param name="failure">The rule that failed.</param>
    /// <param name="message">How it failed.</param>
    public WorkloadProofException(WorkloadProofFailure failure, string message)
        : base(message)
    {
        this.Failure = failure;
    }

    /// <summary>Creates an exception for a failed rule with its cause.</summary>
    /// <param name="failure">The rule that failed.</param>
    /// <param name="message">How it failed.</param>
    /// <param name="innerException">The underlying error.</param>
    public WorkloadProofException(WorkloadProofFailure failure, string message, Exception innerException)
        : base(message, innerException)
    {
        this.Failure = failure;
    }

    /// <summary>The rule that failed.</summary>
    public WorkloadProofFailure Failure { get; }
}
