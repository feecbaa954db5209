using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Server.Api;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Agent-facing part of <c>spire.api.server.bundle.v1.Bundle</c>: <c>GetBundle</c> (any caller, including
/// attestation connections without a client certificate) and <c>GetFederatedBundle</c> (agents and admins).
/// </summary>
internal sealed class BundleService : Proto.Spire.Server.Bundle.V1.Bundle.BundleBase
{
    private readonly IDataStore _store;
    private readonly CallerAuthorizer _authorizer;
    private readonly ServerConfig _config;

    /// <summary>Creates the service.</summary>
    public BundleService(IDataStore store, CallerAuthorizer authorizer, ServerConfig config)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        _config = config ?? throw new ArgumentNullException(nameof(config));
    }

    /// <inheritdoc />
    public override async Task<Proto.Spire.Types.Bundle> GetBundle(GetBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var bundle = await _store.GetBundleAsync(_config.TrustDomain, context.CancellationToken)
            ?? throw RpcErrors.Status(StatusCode.NotFound, "bundle not found");
        return BundleMapping.ToProto(bundle, request.OutputMask);
    }

    /// <inheritdoc />
    public override async Task<Proto.Spire.Types.Bundle> GetFederatedBundle(GetFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await _authorizer.AuthorizeAgentOrAdminAsync(context);
        if (!TrustDomain.TryParse(request.TrustDomain, out var trustDomain))
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, $"malformed trust domain \"{request.TrustDomain}\"");
        }

        if (trustDomain == _config.TrustDomain)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "getting a federated bundle for the server's own trust domain is not allowed");
        }

        var bundle = await _store.GetBundleAsync(trustDomain, context.CancellationToken)
            ?? throw RpcErrors.Status(StatusCode.NotFound, "bundle not found");
        return BundleMapping.ToProto(bundle, request.OutputMask);
    }
}
