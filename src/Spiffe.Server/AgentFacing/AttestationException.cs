namespace Spiffe.Server.AgentFacing;

/// <summary>Node attestation failed; <see cref="Denied"/> distinguishes untrusted evidence (PermissionDenied) from malformed input (InvalidArgument).</summary>
internal sealed class AttestationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AttestationException(bool denied, string message)
        : base(message)
    {
        Denied = denied;
    }

    /// <summary>Creates the exception.</summary>
    public AttestationException()
        : this(false, "attestation failed")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AttestationException(string message)
        : this(false, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public AttestationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether the evidence was well-formed but not trusted.</summary>
    public bool Denied { get; }
}
