using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Agent.Endpoints.Wit;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// The <c>SpiffeWorkloadAPI</c> service. Calls reach it after the security header check, the request field checks
/// and attestation (see the interceptors), so every handler starts from the caller's selectors.
/// </summary>
internal sealed class WorkloadApiService : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
{
    /// <summary>The status message when the caller is entitled to no identity (SPIRE's wording).</summary>
    public const string NoIdentityMessage = "no identity issued";

    private readonly IWorkloadIdentityCache _cache;
    private readonly WorkloadEndpointOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WorkloadApiService> _logger;
    private readonly TaskIssuance? _taskIssuance;
    private readonly WitStreams? _witStreams;

    /// <summary>
    /// Creates the service; <paramref name="taskIssuance"/> is null when task-bound identities are disabled, and
    /// <paramref name="witStreams"/> when WIT-SVIDs are not configured (the WIT methods then answer <c>Unimplemented</c>).
    /// </summary>
    public WorkloadApiService(
        IWorkloadIdentityCache cache,
        WorkloadEndpointOptions options,
        TimeProvider timeProvider,
        ILogger<WorkloadApiService> logger,
        TaskIssuance? taskIssuance = null,
        WitStreams? witStreams = null)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _taskIssuance = taskIssuance;
        _witStreams = witStreams;
    }

    /// <inheritdoc />
    public override Task FetchX509SVID(X509SVIDRequest request, IServerStreamWriter<X509SVIDResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        return StreamAsync(caller, context, "FetchX509SVID", async update =>
        {
            var identities = HintDeduplication.Apply(update.Identities);
            if (_taskIssuance is not null)
            {
                identities = await _taskIssuance.FilterX509Async(context, identities);
            }

            if (identities.Count == 0)
            {
                throw NoIdentity(caller, "FetchX509SVID");
            }

            await responseStream.WriteAsync(ToX509SvidResponse(update, identities), context.CancellationToken);
            EndpointsLog.X509SvidsSent(_logger, identities.Count, caller.Pid, new SpiffeIdList(identities));
        });
    }

    /// <inheritdoc />
    public override Task FetchX509Bundles(X509BundlesRequest request, IServerStreamWriter<X509BundlesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        X509BundlesResponse? previous = null;
        return StreamAsync(caller, context, "FetchX509Bundles", async update =>
        {
            var hasIdentity = CheckBundleEntitlement(caller, update, "FetchX509Bundles");
            var response = new X509BundlesResponse();
            response.Bundles[update.X509Bundle.TrustDomain.IdString] = WireEncodings.Encode(update.X509Bundle);
            if (hasIdentity)
            {
                foreach (var bundle in update.FederatedX509Bundles.Bundles)
                {
                    response.Bundles[bundle.TrustDomain.IdString] = WireEncodings.Encode(bundle);
                }
            }

            // SPIRE does not resend a bundles message identical to the previous one.
            if (!response.Equals(previous))
            {
                await responseStream.WriteAsync(response, context.CancellationToken);
                previous = response;
            }
        });
    }

    /// <inheritdoc />
    public override Task FetchJWTBundles(JWTBundlesRequest request, IServerStreamWriter<JWTBundlesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        JWTBundlesResponse? previous = null;
        return StreamAsync(caller, context, "FetchJWTBundles", async update =>
        {
            var hasIdentity = CheckBundleEntitlement(caller, update, "FetchJWTBundles");
            var response = new JWTBundlesResponse();
            response.Bundles[update.JwtBundle.TrustDomain.IdString] = WireEncodings.Encode(update.JwtBundle);
            if (hasIdentity)
            {
                foreach (var bundle in update.FederatedJwtBundles.Bundles)
                {
                    response.Bundles[bundle.TrustDomain.IdString] = WireEncodings.Encode(bundle);
                }
            }

            if (!response.Equals(previous))
            {
                await responseStream.WriteAsync(response, context.CancellationToken);
                previous = response;
            }
        });
    }

    /// <inheritdoc />
    public override async Task<JWTSVIDResponse> FetchJWTSVID(JWTSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        SpiffeId? requested = request.SpiffeId.Length > 0 ? SpiffeId.Parse(request.SpiffeId) : null;
        IReadOnlyList<IssuedJwtSvid> svids;
        try
        {
            svids = await _cache.FetchJwtSvidsAsync(caller.Selectors, [.. request.Audience], requested, context.CancellationToken);
        }
        catch (JwtSvidUnavailableException ex)
        {
            EndpointsLog.JwtSvidUnavailable(_logger, caller.Pid, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "could not fetch JWT-SVID: " + ex.Message));
        }

        svids = HintDeduplication.Apply(svids);
        if (svids.Count == 0)
        {
            throw NoIdentity(caller, "FetchJWTSVID");
        }

        if (_taskIssuance is not null)
        {
            await _taskIssuance.CheckJwtAsync(context, svids, [.. request.Audience]);
        }

        var response = new JWTSVIDResponse();
        foreach (var svid in svids)
        {
            response.Svids.Add(new JWTSVID { SpiffeId = svid.SpiffeId.ToString(), Svid = svid.Token, Hint = svid.Hint });
        }

        EndpointsLog.JwtSvidsIssued(_logger, svids.Count, caller.Pid, new SpiffeIdList(svids));

        return response;
    }

    /// <inheritdoc />
    public override Task<ValidateJWTSVIDResponse> ValidateJWTSVID(ValidateJWTSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        var bundles = _cache.GetJwtBundlesForValidation(caller.Selectors);
        JwtSvid svid;
        try
        {
            svid = JwtSvid.ParseAndValidate(request.Svid, bundles, [request.Audience], _timeProvider.GetUtcNow());
        }
        catch (JwtSvidException ex)
        {
            EndpointsLog.JwtSvidValidationFailed(_logger, caller.Pid, ex.Message);
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }

        _taskIssuance?.CheckNotRevoked(svid, caller.Pid);

        return Task.FromResult(new ValidateJWTSVIDResponse
        {
            SpiffeId = svid.Id.ToString(),
            Claims = JwtClaimsConverter.ToStruct(svid, _options.TrustDomain, _options.AllowedForeignJwtClaims),
        });
    }

    /// <inheritdoc />
    public override Task FetchWITSVID(WITSVIDRequest request, IServerStreamWriter<WITSVIDResponse> responseStream, ServerCallContext context) =>
        _witStreams?.FetchWitSvidAsync(request, responseStream, context)
        ?? throw new RpcException(new Status(StatusCode.Unimplemented, "FetchWITSVID is not implemented"));

    /// <inheritdoc />
    public override Task FetchWITBundles(WITBundlesRequest request, IServerStreamWriter<WITBundlesResponse> responseStream, ServerCallContext context) =>
        _witStreams?.FetchWitBundlesAsync(responseStream, context)
        ?? throw new RpcException(new Status(StatusCode.Unimplemented, "FetchWITBundles is not implemented"));

    private static X509SVIDResponse ToX509SvidResponse(WorkloadUpdate update, IReadOnlyList<WorkloadIdentity> identities)
    {
        var bundle = WireEncodings.Encode(update.X509Bundle);
        var response = new X509SVIDResponse();
        foreach (var identity in identities)
        {
            var encoded = WireEncodings.Encode(identity.Svid);
            response.Svids.Add(new X509SVID
            {
                SpiffeId = identity.Entry.SpiffeId.ToString(),
                X509Svid = encoded.Certificates,
                X509SvidKey = encoded.PrivateKey,
                Bundle = bundle,
                Hint = identity.Entry.Hint,
            });
        }

        foreach (var federated in update.FederatedX509Bundles.Bundles)
        {
            response.FederatedBundles[federated.TrustDomain.IdString] = WireEncodings.Encode(federated);
        }

        return response;
    }

    private bool CheckBundleEntitlement(WorkloadCaller caller, WorkloadUpdate update, string method)
    {
        var hasIdentity = update.Identities.Count > 0;
        if (!hasIdentity && !_options.AllowUnauthenticatedVerifiers)
        {
            throw NoIdentity(caller, method);
        }

        return hasIdentity;
    }

    private RpcException NoIdentity(WorkloadCaller caller, string method)
    {
        EndpointsLog.NoIdentityIssued(_logger, caller.Pid, method, caller.Selectors);
        return new RpcException(new Status(StatusCode.PermissionDenied, NoIdentityMessage));
    }

    private async Task StreamAsync(WorkloadCaller caller, ServerCallContext context, string method, Func<WorkloadUpdate, Task> send)
    {
        using var subscription = _cache.Subscribe(caller.Selectors);
        var updates = subscription.Updates;
        try
        {
            while (await updates.WaitToReadAsync(context.CancellationToken))
            {
                while (updates.TryRead(out var update))
                {
                    await send(update);
                }
            }
        }
        catch (Exception ex) when (RevocationOf(ex) is { } revoked)
        {
            EndpointsLog.IdentitiesRevoked(_logger, caller.Pid, method, revoked.Message);
            throw new RpcException(new Status(StatusCode.PermissionDenied, revoked.Message));
        }

        // The agent is shutting down (or dropped the subscription); clients reconnect on Unavailable.
        context.CancellationToken.ThrowIfCancellationRequested();
        throw new RpcException(new Status(StatusCode.Unavailable, "the workload API is shutting down"));
    }

    private static WorkloadSubscriptionRevokedException? RevocationOf(Exception exception) => exception switch
    {
        WorkloadSubscriptionRevokedException revoked => revoked,
        ChannelClosedException { InnerException: WorkloadSubscriptionRevokedException revoked } => revoked,
        _ => null,
    };
}
