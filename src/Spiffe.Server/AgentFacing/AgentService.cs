using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Agent-facing part of <c>spire.api.server.agent.v1.Agent</c>: <c>AttestAgent</c> (join_token, x509pop),
/// <c>RenewAgent</c> and <c>PostStatus</c>. Attestation validates everything (CSR, evidence, ban state) before it
/// changes the store; a join token is consumed only by an attestation that then succeeds.
/// </summary>
internal sealed class AgentService : Proto.Spire.Server.Agent.V1.Agent.AgentBase
{
    private const string JoinTokenType = "join_token";
    private const int MaxAgentVersionLength = 255;
    private readonly IDataStore _store;
    private readonly CredentialSigner _signer;
    private readonly CallerAuthorizer _authorizer;
    private readonly X509PopVerifier _x509Pop;
    private readonly ServerConfig _config;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public AgentService(IDataStore store, CredentialSigner signer, CallerAuthorizer authorizer, X509PopVerifier x509Pop, ServerConfig config, TimeProvider timeProvider, ILogger<AgentService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        _x509Pop = x509Pop ?? throw new ArgumentNullException(nameof(x509Pop));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    private SpiffeId ServerId => SpiffeId.FromPath(_config.TrustDomain, "/spire/server");

    /// <inheritdoc />
    public override async Task AttestAgent(IAsyncStreamReader<AttestAgentRequest> requestStream, IServerStreamWriter<AttestAgentResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing attestation parameters");
        }

        var first = requestStream.Current;
        if (first.StepCase != AttestAgentRequest.StepOneofCase.Params || first.Params.Data is null)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "first request must carry params with attestation data");
        }

        var type = first.Params.Data.Type;
        if (string.IsNullOrEmpty(type))
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing attestation data type");
        }

        var publicKey = ParseCsr(first.Params.Params_?.Csr.ToByteArray());
        try
        {
            var outcome = type switch
            {
                JoinTokenType when _config.JoinTokenAttestor => await AttestJoinTokenAsync(first.Params.Data.Payload.ToByteArray(), context.CancellationToken),
                X509PopVerifier.Type when _x509Pop.Enabled => await AttestX509PopAsync(first.Params.Data.Payload.ToByteArray(), requestStream, responseStream, context.CancellationToken),
                _ => throw RpcErrors.Status(StatusCode.FailedPrecondition, $"could not find node attestor type \"{type}\""),
            };

            var svid = _signer.SignX509Svid(publicKey, outcome.AgentId, [], _config.EffectiveAgentTtl);
            await StoreAttestedAsync(outcome, type, svid);
            ApiLog.AgentAttested(_logger, outcome.AgentId, type);
            await responseStream.WriteAsync(new AttestAgentResponse
            {
                Result = new AttestAgentResponse.Types.Result
                {
                    Svid = SvidMapping.ToProto(svid, outcome.AgentId, string.Empty),
                    Reattestable = outcome.CanReattest,
                },
            });
        }
        catch (AttestationException ex)
        {
            ApiLog.AttestationFailed(_logger, type, ex.Message);
            throw RpcErrors.Status(ex.Denied ? StatusCode.PermissionDenied : StatusCode.InvalidArgument, "failed to attest: " + ex.Message);
        }
        catch (RpcException ex)
        {
            ApiLog.AttestationFailed(_logger, type, ex.Status.Detail);
            throw;
        }
    }

    /// <inheritdoc />
    public override async Task<RenewAgentResponse> RenewAgent(RenewAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (agent.CanReattest)
        {
            throw RpcErrors.AgentDenied(Reason.AgentMustReattest, "agent must re-attest");
        }

        if (request.Params is null)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "params cannot be nil");
        }

        var publicKey = ParseCsr(request.Params.Csr.ToByteArray());
        var svid = _signer.SignX509Svid(publicKey, agent.Id, [], _config.EffectiveAgentTtl);
        await _store.UpdateAttestedAgentAsync(
            agent with { NewSerialNumber = svid.SerialNumber, NewExpiresAt = svid.ExpiresAt.ToUnixTimeSeconds() },
            CancellationToken.None);
        ApiLog.AgentRenewed(_logger, agent.Id);
        return new RenewAgentResponse { Svid = SvidMapping.ToProto(svid, agent.Id, string.Empty) };
    }

    /// <inheritdoc />
    public override async Task<PostStatusResponse> PostStatus(PostStatusRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (request.AgentVersion.Length > MaxAgentVersionLength)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "agent version is longer than 255 characters");
        }

        if (request.AgentVersion.Length > 0 && request.AgentVersion != agent.AgentVersion)
        {
            await _store.UpdateAttestedAgentAsync(agent with { AgentVersion = request.AgentVersion }, CancellationToken.None);
        }

        return new PostStatusResponse();
    }

    private static System.Security.Cryptography.X509Certificates.PublicKey ParseCsr(byte[]? csr)
    {
        if (csr is null || csr.Length == 0)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing CSR");
        }

        try
        {
            return CredentialSigner.PublicKeyFromCsr(csr);
        }
        catch (CryptographicException ex)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "malformed CSR: " + ex.Message);
        }
    }

    private async Task<AttestationOutcome> AttestJoinTokenAsync(byte[] payload, CancellationToken cancellationToken)
    {
        var token = Encoding.UTF8.GetString(payload);
        if (token.Length == 0)
        {
            throw new AttestationException(false, "missing join token");
        }

        var stored = await _store.GetJoinTokenAsync(token, cancellationToken)
            ?? throw new AttestationException(false, "join token does not exist or has already been used");
        if (stored.ExpiresAt < _timeProvider.GetUtcNow().ToUnixTimeSeconds())
        {
            throw new AttestationException(false, "join token expired");
        }

        SpiffeId agentId;
        try
        {
            agentId = SpiffeId.FromSegments(_config.TrustDomain, "spire", "agent", JoinTokenType, token);
        }
        catch (SpiffeIdException ex)
        {
            throw new AttestationException(false, "join token cannot form an agent ID: " + ex.Message);
        }

        await CheckAgentAsync(agentId, canReattest: false, cancellationToken);
        if (!await _store.DeleteJoinTokenAsync(token, CancellationToken.None))
        {
            throw new AttestationException(false, "join token does not exist or has already been used");
        }

        return new AttestationOutcome(agentId, [], CanReattest: false, stored.AgentId);
    }

    private async Task<AttestationOutcome> AttestX509PopAsync(byte[] payload, IAsyncStreamReader<AttestAgentRequest> requests, IServerStreamWriter<AttestAgentResponse> responses, CancellationToken cancellationToken)
    {
        var (challenge, chain) = _x509Pop.Begin(payload, _timeProvider.GetUtcNow());
        var agentId = _x509Pop.AgentId(challenge.Leaf);
        await CheckAgentAsync(agentId, canReattest: true, cancellationToken);
        await responses.WriteAsync(new AttestAgentResponse { Challenge = Google.Protobuf.ByteString.CopyFrom(challenge.Payload) }, cancellationToken);
        if (!await requests.MoveNext(cancellationToken) || requests.Current.StepCase != AttestAgentRequest.StepOneofCase.ChallengeResponse)
        {
            throw new AttestationException(false, "expected a challenge response");
        }

        X509PopVerifier.Verify(challenge, requests.Current.ChallengeResponse.ToByteArray());
        return new AttestationOutcome(agentId, _x509Pop.Selectors(chain), CanReattest: true, null);
    }

    private async Task CheckAgentAsync(SpiffeId agentId, bool canReattest, CancellationToken cancellationToken)
    {
        if (agentId == ServerId)
        {
            throw RpcErrors.Status(StatusCode.PermissionDenied, "failed to attest: agent ID must not be the server ID");
        }

        var existing = await _store.GetAttestedAgentAsync(agentId, cancellationToken);
        if (existing is null)
        {
            return;
        }

        if (existing.Banned)
        {
            throw RpcErrors.AgentDenied(Reason.AgentBanned, "failed to attest: agent is banned");
        }

        if (!canReattest)
        {
            throw RpcErrors.Status(StatusCode.PermissionDenied, "failed to attest: attestation data has already been used to attest an agent");
        }
    }

    private async Task StoreAttestedAsync(AttestationOutcome outcome, string type, X509SvidResult svid)
    {
        var existing = await _store.GetAttestedAgentAsync(outcome.AgentId, CancellationToken.None);
        var agent = new AttestedAgent
        {
            Id = outcome.AgentId,
            AttestationType = type,
            SerialNumber = svid.SerialNumber,
            ExpiresAt = svid.ExpiresAt.ToUnixTimeSeconds(),
            Selectors = outcome.Selectors,
            CanReattest = outcome.CanReattest,
            AgentVersion = existing?.AgentVersion ?? string.Empty,
        };
        if (existing is null)
        {
            await _store.CreateAttestedAgentAsync(agent, CancellationToken.None);
        }
        else
        {
            await _store.UpdateAttestedAgentAsync(agent, CancellationToken.None);
        }

        if (outcome.AliasId is { } alias)
        {
            var (entry, created) = await _store.CreateOrReturnEntryAsync(
                new RegistrationEntry
                {
                    SpiffeId = alias,
                    ParentId = outcome.AgentId,
                    Selectors = [new Selector("spiffe_id", outcome.AgentId.ToString())],
                },
                CancellationToken.None);
            if (created)
            {
                ApiLog.AliasEntryCreated(_logger, entry.Id, outcome.AgentId);
            }
        }
    }

    private sealed record AttestationOutcome(SpiffeId AgentId, IReadOnlyList<Selector> Selectors, bool CanReattest, SpiffeId? AliasId);
}
