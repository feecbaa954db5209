namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// Records every credential issued to a task so that the task's end revokes it. Each method returns false when the
/// task is no longer active: the credential is then revoked at once and must not be handed out.
/// </summary>
internal interface ITaskCredentialRecorder
{
    /// <summary>Records a JWT-SVID by its <c>jti</c>.</summary>
    Task<bool> RecordJwtAsync(string taskId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Records an X509-SVID by its serial number (hex, any form).</summary>
    Task<bool> RecordX509Async(string taskId, string serialNumber, DateTimeOffset notAfter, CancellationToken cancellationToken);
}
