using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Agent.Endpoints.Services;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>
/// The signing oracle, <c>spiffe.agent.proof.v1.WorkloadProof</c>, on the Workload API socket behind the same
/// interceptors as the Workload API (security header, request checks, attestation, task policy with method
/// <c>CreateProof</c>). <c>CreateProof</c> takes the caller's default WIT-SVID (or <c>spiffe_id</c>'s), minting it if
/// needed, and signs a Workload Proof Token for <c>target_uri</c> with the WIT's key, which never leaves the agent:
/// <c>aud</c> = the target, a fresh <c>jti</c>, <c>wth</c>, and <c>ath</c>/<c>tth</c>/<c>oth</c> for the given tokens,
/// living at most <see cref="WitOptions.MaxProofLifetime"/>. Status codes: <c>PermissionDenied "no identity issued"</c>
/// when the caller is entitled to no WIT-SVID (or not to <c>spiffe_id</c>; a process whose task ended is entitled to
/// none), <c>PermissionDenied</c> for a revoked WIT, <c>InvalidArgument</c> for a bad target URI or token,
/// <c>Unavailable</c> when no WIT-SVID could be minted, <c>Unimplemented</c> while the trust domain issues none.
/// </summary>
internal sealed class WorkloadProofService : WorkloadProof.WorkloadProofBase
{
    private readonly IWitSvidCache _cache;
    private readonly WitIssuance _issuance;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WorkloadProofService> _logger;

    /// <summary>Creates the service.</summary>
    public WorkloadProofService(WitEndpointServices wit, WitIssuance issuance, TimeProvider timeProvider, ILogger<WorkloadProofService> logger)
    {
        ArgumentNullException.ThrowIfNull(wit);
        _cache = wit.Cache;
        _issuance = issuance ?? throw new ArgumentNullException(nameof(issuance));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override async Task<CreateProofResponse> CreateProof(CreateProofRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        WitStreams.RequireEnabled(_cache);
        SpiffeId? requested = request.SpiffeId.Length > 0 ? SpiffeId.Parse(request.SpiffeId) : null;
        var proofContext = new WorkloadProofContext
        {
            Audience = request.TargetUri,
            AccessToken = request.AccessToken.Length > 0 ? request.AccessToken : null,
            TransactionToken = request.TxnToken.Length > 0 ? request.TxnToken : null,
            OtherTokens = request.OtherTokens.Count > 0 ? request.OtherTokens : null,
        };

        // One retry: the WIT may be rotated (and its key freed) between the lookup and the signature.
        for (var attempt = 0; ; attempt++)
        {
            var identity = await FindAsync(caller, requested, context.CancellationToken);
            _issuance.CheckNotRevoked(identity, caller.Pid);
            var now = _timeProvider.GetUtcNow();
            var lifetime = _issuance.ProofLifetime(context, request.LifetimeSeconds, identity.Credential.Svid, now);
            WorkloadProofToken proof;
            try
            {
                proof = identity.Credential.CreateProof(proofContext, lifetime, now);
            }
            catch (ObjectDisposedException) when (attempt == 0)
            {
                continue;
            }
            catch (ArgumentException ex)
            {
                WitEndpointsLog.ProofRefused(_logger, caller.Pid, ex.Message);
                throw new RpcException(new Status(StatusCode.InvalidArgument, "cannot create the proof: " + ex.Message));
            }

            _issuance.AuditProof(context, identity, proof, request.Method);
            var wit = identity.Credential.Svid;
            WitEndpointsLog.ProofCreated(_logger, proof.Jti, caller.Pid, wit.Id, wit.Jti, proof.Audience, proof.Expiry);
            return new CreateProofResponse
            {
                Wit = wit.Token,
                Wpt = proof.Token,
                SpiffeId = wit.Id.ToString(),
                WptExpiresAt = proof.Expiry.ToUnixTimeSeconds(),
            };
        }
    }

    private async Task<WitIdentity> FindAsync(WorkloadCaller caller, SpiffeId? requested, CancellationToken cancellationToken)
    {
        IReadOnlyList<WitIdentity> identities;
        try
        {
            identities = await _cache.GetIdentitiesAsync(caller.Selectors, cancellationToken);
        }
        catch (WitSvidUnavailableException ex)
        {
            WitEndpointsLog.WitSvidUnavailable(_logger, caller.Pid, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "could not fetch WIT-SVID: " + ex.Message));
        }

        var identity = requested is { } id
            ? identities.FirstOrDefault(i => i.Entry.SpiffeId == id)
            : identities.Count > 0 ? identities[0] : null;
        if (identity is null)
        {
            EndpointsLog.NoIdentityIssued(_logger, caller.Pid, "CreateProof", caller.Selectors);
            throw new RpcException(new Status(StatusCode.PermissionDenied, WorkloadApiService.NoIdentityMessage));
        }

        return identity;
    }
}
