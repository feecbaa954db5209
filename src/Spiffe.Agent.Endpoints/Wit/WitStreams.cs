using System.Text;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Endpoints.Diagnostics;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Agent.Endpoints.Services;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>
/// <c>FetchWITSVID</c> and <c>FetchWITBundles</c>, reached through <see cref="WorkloadApiService"/> after the security
/// header, the request checks, attestation and (with task-bound identities) the policy.
/// <list type="bullet">
/// <item><c>FetchWITSVID</c> streams the full state of the caller's WIT-SVIDs (or only <c>spiffe_id</c>'s): the first
/// message once each has been minted, then one per rotation or entry change. <c>wit_svid_key</c> is the private JWK
/// unless the key is not exportable (see <see cref="WitIssuance.CanExportKey"/>); then it is empty. A caller entitled to
/// nothing (or not to <c>spiffe_id</c>) gets <c>PermissionDenied "no identity issued"</c>, also mid-stream when its
/// entries go away (a task that ended).</item>
/// <item><c>FetchWITBundles</c> streams <c>spiffe://&lt;td&gt;</c> → the UTF-8 JWKS text of the WIT bundle (keys with
/// <c>kid</c> and <c>use: wit-svid</c>) for the own trust domain and the federated ones of the caller's entries; a
/// message identical to the previous one is not sent again. A caller without identity gets <c>PermissionDenied</c>
/// unless <see cref="WorkloadEndpointOptions.AllowUnauthenticatedVerifiers"/> (then only the own bundle).</item>
/// <item>Both answer <c>Unimplemented</c> while the own trust domain publishes no WIT authorities.</item>
/// </list>
/// </summary>
internal sealed class WitStreams
{
    /// <summary>The status message while the trust domain issues no WIT-SVIDs.</summary>
    public const string NotEnabledMessage = "WIT-SVIDs are not enabled: the trust domain publishes no WIT authorities";

    private readonly IWitSvidCache _cache;
    private readonly WitIssuance _issuance;
    private readonly WorkloadEndpointOptions _options;
    private readonly ILogger<WitStreams> _logger;

    /// <summary>Creates the handlers.</summary>
    public WitStreams(WitEndpointServices wit, WitIssuance issuance, WorkloadEndpointOptions options, ILogger<WitStreams> logger)
    {
        ArgumentNullException.ThrowIfNull(wit);
        _cache = wit.Cache;
        _issuance = issuance ?? throw new ArgumentNullException(nameof(issuance));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Throws <c>Unimplemented</c> while the trust domain issues no WIT-SVIDs.</summary>
    public static void RequireEnabled(IWitSvidCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        if (!cache.IsEnabled)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, NotEnabledMessage));
        }
    }

    /// <summary>Serves <c>FetchWITSVID</c>.</summary>
    public async Task FetchWitSvidAsync(WITSVIDRequest request, IServerStreamWriter<WITSVIDResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        RequireEnabled(_cache);
        SpiffeId? requested = request.SpiffeId.Length > 0 ? SpiffeId.Parse(request.SpiffeId) : null;
        using var subscription = _cache.Subscribe(caller.Selectors, withSvids: true);
        var audited = new HashSet<string>(StringComparer.Ordinal);
        WITSVIDResponse? previous = null;
        while (await subscription.Updates.WaitToReadAsync(context.CancellationToken))
        {
            while (subscription.Updates.TryRead(out var update))
            {
                if (!update.Entries.Any(e => requested is not { } id || e.SpiffeId == id))
                {
                    throw NoIdentity(caller, "FetchWITSVID");
                }

                var identities = update.Identities.Where(i => requested is not { } id || i.Entry.SpiffeId == id).ToList();
                if (identities.Count == 0 || Build(identities, context, caller.Pid) is not { } response)
                {
                    // A WIT is being minted, or was replaced while this message was built: the next update follows.
                    continue;
                }

                _issuance.AuditWitSvids(context, identities, audited);
                if (!response.Equals(previous))
                {
                    await responseStream.WriteAsync(response, context.CancellationToken);
                    previous = response;
                    WitEndpointsLog.WitSvidsSent(_logger, response.Svids.Count, caller.Pid, new WitSpiffeIdList(identities));
                }
            }
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        throw new RpcException(new Status(StatusCode.Unavailable, "the workload API is shutting down"));
    }

    /// <summary>Serves <c>FetchWITBundles</c>.</summary>
    public async Task FetchWitBundlesAsync(IServerStreamWriter<WITBundlesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.GetCaller();
        RequireEnabled(_cache);
        using var subscription = _cache.Subscribe(caller.Selectors, withSvids: false);
        WITBundlesResponse? previous = null;
        while (await subscription.Updates.WaitToReadAsync(context.CancellationToken))
        {
            while (subscription.Updates.TryRead(out var update))
            {
                var hasIdentity = update.Entries.Count > 0;
                if (!hasIdentity && !_options.AllowUnauthenticatedVerifiers)
                {
                    throw NoIdentity(caller, "FetchWITBundles");
                }

                var response = new WITBundlesResponse();
                foreach (var bundle in update.Bundles.Bundles.Where(b => hasIdentity || b.TrustDomain == _options.TrustDomain))
                {
                    response.Bundles[bundle.TrustDomain.IdString] = Encoding.UTF8.GetString(bundle.Marshal());
                }

                // As for the other bundle streams, a message identical to the previous one is not sent again.
                if (!response.Equals(previous))
                {
                    await responseStream.WriteAsync(response, context.CancellationToken);
                    previous = response;
                }
            }
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        throw new RpcException(new Status(StatusCode.Unavailable, "the workload API is shutting down"));
    }

    /// <summary>The response for these identities, or null when one of their credentials was replaced meanwhile.</summary>
    private WITSVIDResponse? Build(IReadOnlyList<WitIdentity> identities, ServerCallContext context, int pid)
    {
        var response = new WITSVIDResponse();
        foreach (var identity in identities)
        {
            string key;
            if (_issuance.CanExportKey(context, identity))
            {
                try
                {
                    key = identity.Credential.ExportPrivateKey();
                }
                catch (ObjectDisposedException)
                {
                    return null;
                }
            }
            else
            {
                key = string.Empty;
                WitEndpointsLog.WitKeyWithheld(_logger, identity.Entry.SpiffeId, pid);
            }

            response.Svids.Add(new WITSVID
            {
                SpiffeId = identity.Entry.SpiffeId.ToString(),
                WitSvid = identity.Credential.Svid.Token,
                WitSvidKey = key,
                Hint = identity.Entry.Hint,
            });
        }

        return response;
    }

    private RpcException NoIdentity(WorkloadCaller caller, string method)
    {
        EndpointsLog.NoIdentityIssued(_logger, caller.Pid, method, caller.Selectors);
        return new RpcException(new Status(StatusCode.PermissionDenied, WorkloadApiService.NoIdentityMessage));
    }
}
