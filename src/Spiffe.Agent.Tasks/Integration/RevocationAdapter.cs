using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks.Integration;

/// <summary><see cref="IRevocationChecker"/> and <see cref="IRevocationFeed"/> over the <see cref="RevocationList"/>.</summary>
[SupportedOSPlatform("linux")]
internal sealed class RevocationAdapter : IRevocationChecker, IRevocationFeed
{
    private readonly RevocationList revocations;

    public RevocationAdapter(RevocationList revocations)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        this.revocations = revocations;
    }

    /// <inheritdoc />
    public bool IsRevokedJti(string jti) => revocations.IsRevokedJti(jti);

    /// <inheritdoc />
    public bool IsRevokedSerial(string serialNumber) => revocations.IsRevokedSerial(serialNumber);

    /// <inheritdoc />
    public async IAsyncEnumerable<RevocationBatch> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in revocations.Watch(cancellationToken))
        {
            yield return new RevocationBatch(item.Kind == RevocationEventKind.Snapshot, item.Credentials.Select(ToNotice).ToList());
        }
    }

    /// <summary>A list entry as verifiers and the relay see it.</summary>
    public static RevocationNotice ToNotice(RevokedCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return new RevocationNotice(
            credential.Kind == CredentialKind.Jwt ? RevokedCredentialKind.Jwt : RevokedCredentialKind.X509,
            credential.Id,
            credential.TaskId,
            credential.SpiffeId,
            credential.ExpiresAt,
            credential.RevokedAt,
            credential.Reason);
    }

    /// <summary>A relayed revocation as a list entry (the serial normalized).</summary>
    public static RevokedCredential FromNotice(RevocationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var kind = notice.Kind == RevokedCredentialKind.Jwt ? CredentialKind.Jwt : CredentialKind.X509;
        var id = kind == CredentialKind.X509 ? IssuedCredential.NormalizeSerial(notice.Id) : notice.Id;
        return new RevokedCredential(kind, id, notice.TaskId, notice.RevokedAt, notice.ExpiresAt)
        {
            SpiffeId = notice.SpiffeId,
            Reason = notice.Reason,
        };
    }
}
