namespace Spiffe.Agent.Core.Server;

/// <summary>A server call failed; carries the status and, for <c>PermissionDenied</c>, the server's reason.</summary>
internal sealed class SpireServerException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="message">The server's or transport's message.</param>
    /// <param name="reason">The permission-denied detail, when the server sent one.</param>
    /// <param name="innerException">The underlying error.</param>
    public SpireServerException(
        ServerStatusCode statusCode,
        string message,
        PermissionDeniedReason? reason = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The status code.</summary>
    public ServerStatusCode StatusCode { get; }

    /// <summary>The <c>PermissionDeniedDetails</c> reason, or null when the status had none.</summary>
    public PermissionDeniedReason? Reason { get; }

    /// <summary>True when the server banned the agent (delete the stored SVID and exit).</summary>
    public bool IsBanned => StatusCode == ServerStatusCode.PermissionDenied && Reason == PermissionDeniedReason.AgentBanned;

    /// <summary>
    /// True when the server wants the agent to attest again (expired, not attested, not active, must re-attest):
    /// re-attest in-process when re-attestable, else delete the stored SVID and exit.
    /// </summary>
    public bool ShouldReattest => StatusCode == ServerStatusCode.PermissionDenied && Reason is
        PermissionDeniedReason.AgentExpired or PermissionDeniedReason.AgentNotAttested
        or PermissionDeniedReason.AgentNotActive or PermissionDeniedReason.AgentMustReattest;
}
