using Grpc.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Proto.Server.Revocation.V1;

namespace Spiffe.Agent.ServerApi.Tasks;

/// <summary><see cref="IRevocationRelay"/> over <c>spiffe.server.revocation.v1.RevocationRelay</c> with the agent's mTLS identity.</summary>
internal sealed class RevocationRelayClient : IRevocationRelay
{
    private readonly IServerChannels _channels;
    private readonly IAgentCredentialSource _credentials;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the client.</summary>
    public RevocationRelayClient(IServerChannels channels, IAgentCredentialSource credentials, TimeProvider timeProvider)
    {
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <inheritdoc/>
    public async Task PublishAsync(IReadOnlyList<RevocationNotice> revoked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        var agentId = _credentials.AgentSvid?.Id.ToString() ?? string.Empty;
        var request = new PublishRevocationsRequest();
        request.Revocations.AddRange(revoked.Select(r => ToProto(r, agentId)));
        await CallAsync(
            options => new RevocationRelay.RevocationRelayClient(_channels.GetAgentInvoker()).PublishRevocationsAsync(request, options).ResponseAsync,
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<RelayPage> ListAsync(ulong afterSequence, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            options => new RevocationRelay.RevocationRelayClient(_channels.GetAgentInvoker())
                .ListRevocationsAsync(new ListRevocationsRequest { AfterSequence = afterSequence }, options).ResponseAsync,
            cancellationToken);
        var revoked = response.Revocations
            .Where(r => r.CredentialCase != RelayedRevocation.CredentialOneofCase.None && r.TaskId.Length > 0)
            .Select(FromProto)
            .ToList();
        return new RelayPage(revoked, response.Sequence);
    }

    /// <summary>Maps a revocation to the wire.</summary>
    internal static RelayedRevocation ToProto(RevocationNotice notice, string agentId)
    {
        var proto = new RelayedRevocation
        {
            TaskId = notice.TaskId,
            SpiffeId = notice.SpiffeId ?? string.Empty,
            ExpiresAt = notice.ExpiresAt.ToUnixTimeSeconds(),
            RevokedAt = notice.RevokedAt.ToUnixTimeSeconds(),
            Reason = notice.Reason ?? string.Empty,
            AgentId = agentId,
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

    /// <summary>Maps a relayed revocation from the wire.</summary>
    internal static RevocationNotice FromProto(RelayedRevocation proto) => new(
        proto.CredentialCase == RelayedRevocation.CredentialOneofCase.Jti ? RevokedCredentialKind.Jwt : RevokedCredentialKind.X509,
        proto.CredentialCase == RelayedRevocation.CredentialOneofCase.Jti ? proto.Jti : proto.X509Serial,
        proto.TaskId,
        proto.SpiffeId.Length > 0 ? proto.SpiffeId : null,
        DateTimeOffset.FromUnixTimeSeconds(proto.ExpiresAt),
        DateTimeOffset.FromUnixTimeSeconds(proto.RevokedAt),
        proto.Reason.Length > 0 ? proto.Reason : null);

    private async Task<T> CallAsync<T>(Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var options = new CallOptions(deadline: _timeProvider.GetUtcNow().UtcDateTime + SpireServerClient.CallTimeout, cancellationToken: cancellationToken);
        try
        {
            return await call(options);
        }
        catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the server call was cancelled", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw ServerErrors.FromRpcException(ex);
        }
    }
}
