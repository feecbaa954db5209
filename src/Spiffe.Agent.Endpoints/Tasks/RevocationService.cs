using Grpc.Core;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Proto.Agent.Revocation.V1;
using ProtoEvent = Spiffe.Proto.Agent.Revocation.V1.RevocationEvent;
using ProtoRevoked = Spiffe.Proto.Agent.Revocation.V1.RevokedCredential;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>
/// <c>spiffe.agent.revocation.v1.Revocation</c> on the public socket: the current revocation list first, then each new
/// batch (local task ends and revocations relayed by the server). Callers pass the security header check and
/// attestation like Workload API callers, but need no identity.
/// </summary>
internal sealed class RevocationService : Revocation.RevocationBase
{
    private readonly IRevocationFeed _feed;

    /// <summary>Creates the service.</summary>
    public RevocationService(TaskEndpointServices tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        _feed = tasks.RevocationFeed;
    }

    /// <inheritdoc />
    public override async Task Watch(WatchRevocationsRequest request, IServerStreamWriter<ProtoEvent> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        _ = context.GetCaller();
        try
        {
            await foreach (var batch in _feed.WatchAsync(context.CancellationToken))
            {
                var message = new ProtoEvent { Snapshot = batch.IsSnapshot };
                message.Revoked.AddRange(batch.Revoked.Select(ToProto));
                await responseStream.WriteAsync(message, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away or the agent is stopping.
        }
    }

    /// <summary>Maps a revocation to the wire.</summary>
    public static ProtoRevoked ToProto(RevocationNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var proto = new ProtoRevoked
        {
            TaskId = notice.TaskId,
            SpiffeId = notice.SpiffeId ?? string.Empty,
            ExpiresAt = notice.ExpiresAt.ToUnixTimeSeconds(),
            RevokedAt = notice.RevokedAt.ToUnixTimeSeconds(),
            Reason = notice.Reason ?? string.Empty,
        };
        if (notice.Kind == RevokedCredentialKind.Jwt)
        {
            proto.Jti = notice.Id;
        }
        else
        {
            proto.X509Serial = notice.Id;
        }

        return proto;
    }
}
