using System.Runtime.Versioning;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary><see cref="ITaskCredentialRecorder"/> over <see cref="TaskManager.RecordIssuedAsync"/>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TaskCredentialRecorder : ITaskCredentialRecorder
{
    private readonly TaskManager manager;

    public TaskCredentialRecorder(TaskManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        this.manager = manager;
    }

    /// <inheritdoc />
    public Task<bool> RecordJwtAsync(string taskId, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        manager.RecordIssuedAsync(taskId, IssuedCredential.Jwt(jti, expiresAt), cancellationToken);

    /// <inheritdoc />
    public Task<bool> RecordX509Async(string taskId, string serialNumber, DateTimeOffset notAfter, CancellationToken cancellationToken) =>
        manager.RecordIssuedAsync(taskId, IssuedCredential.X509(serialNumber, notAfter), cancellationToken);
}
