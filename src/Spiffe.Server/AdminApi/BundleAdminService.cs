using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin half of <c>spire.api.server.bundle.v1.Bundle</c>: the server's own bundle (get, count, append) and
/// federated bundles (list, get, batch create/update/set/delete). The own trust domain is never treated as federated.
/// </summary>
internal sealed class BundleAdminService : BundleApi.Bundle.BundleBase
{
    private readonly IDataStore dataStore;
    private readonly AdminAuthorizer authorizer;
    private readonly ServerConfig config;
    private readonly ILogger<BundleAdminService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="dataStore">The datastore.</param>
    /// <param name="authorizer">Admits local callers and admin SVIDs.</param>
    /// <param name="config">The server configuration (for the trust domain).</param>
    /// <param name="logger">The logger.</param>
    public BundleAdminService(IDataStore dataStore, AdminAuthorizer authorizer, ServerConfig config, ILogger<BundleAdminService> logger)
    {
        ArgumentNullException.ThrowIfNull(dataStore);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(logger);
        this.dataStore = dataStore;
        this.authorizer = authorizer;
        this.config = config;
        this.logger = logger;
    }

    private TrustDomain OwnTrustDomain => this.config.TrustDomain;

    /// <inheritdoc/>
    public override async Task<BundleApi.CountBundlesResponse> CountBundles(BundleApi.CountBundlesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        return new BundleApi.CountBundlesResponse { Count = await this.dataStore.CountBundlesAsync(context.CancellationToken) };
    }

    /// <inheritdoc/>
    public override async Task<Types.Bundle> GetBundle(BundleApi.GetBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var bundle = await this.dataStore.GetBundleAsync(this.OwnTrustDomain, context.CancellationToken)
            ?? throw AdminStatus.Error(StatusCode.NotFound, "bundle not found");
        return BundleConverter.ToProto(bundle, request.OutputMask);
    }

    /// <inheritdoc/>
    public override async Task<Types.Bundle> AppendBundle(BundleApi.AppendBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        BundleRecord addition;
        try
        {
            addition = new BundleRecord
            {
                TrustDomain = this.OwnTrustDomain,
                X509Authorities = BundleConverter.X509AuthoritiesFromProto(request.X509Authorities),
                JwtAuthorities = BundleConverter.JwtAuthoritiesFromProto(request.JwtAuthorities),
                WitAuthorities = BundleConverter.WitAuthoritiesFromProto(request.WitAuthorities),
            };
        }
        catch (AdminValidationException ex)
        {
            throw AdminStatus.Invalid(ex, "failed to convert authorities");
        }

        if (addition.X509Authorities.Count == 0 && addition.JwtAuthorities.Count == 0 && addition.WitAuthorities.Count == 0)
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, "no authorities to append");
        }

        var bundle = await this.dataStore.AppendBundleAsync(addition, context.CancellationToken);
        this.logger.BundleAppended(bundle.TrustDomain, bundle.SequenceNumber);
        return BundleConverter.ToProto(bundle, request.OutputMask);
    }

    /// <inheritdoc/>
    public override async Task<BundleApi.ListFederatedBundlesResponse> ListFederatedBundles(BundleApi.ListFederatedBundlesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        Page<BundleRecord> page;
        try
        {
            page = await this.dataStore.ListBundlesAsync(request.PageSize, request.PageToken.Length == 0 ? null : request.PageToken, context.CancellationToken);
        }
        catch (DataStoreException ex)
        {
            throw AdminStatus.Error(ex, "failed to list bundles", "bundle not found");
        }

        var response = new BundleApi.ListFederatedBundlesResponse { NextPageToken = page.NextPageToken };
        response.Bundles.AddRange(page.Items.Where(b => b.TrustDomain != this.OwnTrustDomain).Select(b => BundleConverter.ToProto(b, request.OutputMask)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<Types.Bundle> GetFederatedBundle(BundleApi.GetFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var trustDomain = this.FederatedTrustDomain(request.TrustDomain, "getting");
        var bundle = await this.dataStore.GetBundleAsync(trustDomain, context.CancellationToken)
            ?? throw AdminStatus.Error(StatusCode.NotFound, "bundle not found");
        return BundleConverter.ToProto(bundle, request.OutputMask);
    }

    /// <inheritdoc/>
    public override async Task<BundleApi.BatchCreateFederatedBundleResponse> BatchCreateFederatedBundle(BundleApi.BatchCreateFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var response = new BundleApi.BatchCreateFederatedBundleResponse();
        foreach (var item in request.Bundle)
        {
            var (status, bundle) = await this.WriteAsync(item, "creating", "Created", "failed to create bundle", b => this.dataStore.CreateBundleAsync(b, context.CancellationToken));
            response.Results.Add(new BundleApi.BatchCreateFederatedBundleResponse.Types.Result { Status = status, Bundle = Output(bundle, request.OutputMask) });
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<BundleApi.BatchUpdateFederatedBundleResponse> BatchUpdateFederatedBundle(BundleApi.BatchUpdateFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var response = new BundleApi.BatchUpdateFederatedBundleResponse();
        foreach (var item in request.Bundle)
        {
            var (status, bundle) = await this.UpdateAsync(item, request.InputMask, context.CancellationToken);
            response.Results.Add(new BundleApi.BatchUpdateFederatedBundleResponse.Types.Result { Status = status, Bundle = Output(bundle, request.OutputMask) });
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<BundleApi.BatchSetFederatedBundleResponse> BatchSetFederatedBundle(BundleApi.BatchSetFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var response = new BundleApi.BatchSetFederatedBundleResponse();
        foreach (var item in request.Bundle)
        {
            var (status, bundle) = await this.WriteAsync(item, "setting", "Set", "failed to set bundle", b => this.dataStore.SetBundleAsync(b, context.CancellationToken));
            response.Results.Add(new BundleApi.BatchSetFederatedBundleResponse.Types.Result { Status = status, Bundle = Output(bundle, request.OutputMask) });
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<BundleApi.BatchDeleteFederatedBundleResponse> BatchDeleteFederatedBundle(BundleApi.BatchDeleteFederatedBundleRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        if (!Enum.IsDefined((BundleDeleteMode)request.Mode))
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, $"unknown mode {(int)request.Mode}");
        }

        var response = new BundleApi.BatchDeleteFederatedBundleResponse();
        foreach (var name in request.TrustDomains)
        {
            response.Results.Add(new BundleApi.BatchDeleteFederatedBundleResponse.Types.Result
            {
                TrustDomain = name,
                Status = await this.DeleteAsync(name, (BundleDeleteMode)request.Mode, context.CancellationToken),
            });
        }

        return response;
    }

    private static Types.Bundle? Output(BundleRecord? bundle, Types.BundleMask? mask) => bundle is null ? null : BundleConverter.ToProto(bundle, mask);

    private TrustDomain FederatedTrustDomain(string name, string verb)
    {
        TrustDomain trustDomain;
        try
        {
            trustDomain = BundleConverter.ParseTrustDomain(name);
        }
        catch (AdminValidationException ex)
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, ex.Message);
        }

        return trustDomain != this.OwnTrustDomain
            ? trustDomain
            : throw AdminStatus.Error(StatusCode.InvalidArgument, $"{verb} a federated bundle for the server's own trust domain is not allowed");
    }

    private async Task<(Types.Status Status, BundleRecord? Bundle)> WriteAsync(
        Types.Bundle item, string verb, string change, string failure, Func<BundleRecord, Task<BundleRecord>> write)
    {
        BundleRecord bundle;
        try
        {
            bundle = BundleConverter.FromProto(item);
        }
        catch (AdminValidationException ex)
        {
            return (AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert bundle: " + ex.Message), null);
        }

        if (bundle.TrustDomain == this.OwnTrustDomain)
        {
            return (AdminStatus.Create(StatusCode.InvalidArgument, $"{verb} a federated bundle for the server's own trust domain is not allowed"), null);
        }

        try
        {
            var stored = await write(bundle);
            this.logger.FederatedBundleChanged(change, stored.TrustDomain);
            return (AdminStatus.Ok(), stored);
        }
        catch (DataStoreException ex) when (ex.Code == DataStoreErrorCode.AlreadyExists)
        {
            return (AdminStatus.Create(StatusCode.AlreadyExists, "bundle already exists"), null);
        }
        catch (DataStoreException ex)
        {
            return (AdminStatus.FromDataStore(ex, failure, "bundle not found"), null);
        }
    }

    private async Task<(Types.Status Status, BundleRecord? Bundle)> UpdateAsync(Types.Bundle item, Types.BundleMask? inputMask, CancellationToken cancellationToken)
    {
        TrustDomain trustDomain;
        try
        {
            trustDomain = BundleConverter.ParseTrustDomain(item.TrustDomain);
        }
        catch (AdminValidationException ex)
        {
            return (AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert bundle: " + ex.Message), null);
        }

        if (trustDomain == this.OwnTrustDomain)
        {
            return (AdminStatus.Create(StatusCode.InvalidArgument, "updating a federated bundle for the server's own trust domain is not allowed"), null);
        }

        var existing = await this.dataStore.GetBundleAsync(trustDomain, cancellationToken);
        if (existing is null)
        {
            return (AdminStatus.Create(StatusCode.NotFound, "bundle not found"), null);
        }

        BundleRecord merged;
        try
        {
            var all = inputMask is null;
            merged = existing with
            {
                X509Authorities = all || inputMask!.X509Authorities ? BundleConverter.X509AuthoritiesFromProto(item.X509Authorities) : existing.X509Authorities,
                JwtAuthorities = all || inputMask!.JwtAuthorities ? BundleConverter.JwtAuthoritiesFromProto(item.JwtAuthorities) : existing.JwtAuthorities,
                WitAuthorities = all || inputMask!.WitAuthorities ? BundleConverter.WitAuthoritiesFromProto(item.WitAuthorities) : existing.WitAuthorities,
                RefreshHint = all || inputMask!.RefreshHint ? item.RefreshHint : existing.RefreshHint,
            };
        }
        catch (AdminValidationException ex)
        {
            return (AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert bundle: " + ex.Message), null);
        }

        try
        {
            var stored = await this.dataStore.UpdateBundleAsync(merged, cancellationToken);
            this.logger.FederatedBundleChanged("Updated", stored.TrustDomain);
            return (AdminStatus.Ok(), stored);
        }
        catch (DataStoreException ex)
        {
            return (AdminStatus.FromDataStore(ex, "failed to update bundle", "bundle not found"), null);
        }
    }

    private async Task<Types.Status> DeleteAsync(string name, BundleDeleteMode mode, CancellationToken cancellationToken)
    {
        TrustDomain trustDomain;
        try
        {
            trustDomain = BundleConverter.ParseTrustDomain(name);
        }
        catch (AdminValidationException ex)
        {
            return AdminStatus.Create(StatusCode.InvalidArgument, ex.Message);
        }

        if (trustDomain == this.OwnTrustDomain)
        {
            return AdminStatus.Create(StatusCode.InvalidArgument, "removing the bundle for the server trust domain is not allowed");
        }

        try
        {
            await this.dataStore.DeleteBundleAsync(trustDomain, mode, cancellationToken);
            this.logger.FederatedBundleChanged("Deleted", trustDomain);
            return AdminStatus.Ok();
        }
        catch (DataStoreException ex)
        {
            return AdminStatus.FromDataStore(ex, "failed to delete bundle", "bundle not found");
        }
    }
}
