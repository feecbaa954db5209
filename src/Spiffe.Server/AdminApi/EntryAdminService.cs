using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;
using Types = Spiffe.Proto.Spire.Types;
using Spiffe.Server.Api;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin half of <c>spire.api.server.entry.v1.Entry</c>: count, list, get, and batch create/update/delete of
/// registration entries. Batch items succeed or fail on their own; a refused item changes nothing. A caller holding a
/// task grant gets a per-item <c>PermissionDenied</c> for each change outside its <see cref="TaskGrantScope"/>.
/// </summary>
internal sealed class EntryAdminService : EntryApi.Entry.EntryBase
{
    private readonly IDataStore dataStore;
    private readonly AdminAuthorizer authorizer;
    private readonly ServerConfig config;
    private readonly ILogger<EntryAdminService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="dataStore">The datastore.</param>
    /// <param name="authorizer">Admits local callers and admin SVIDs.</param>
    /// <param name="config">The server configuration (for the trust domain).</param>
    /// <param name="logger">The logger.</param>
    public EntryAdminService(IDataStore dataStore, AdminAuthorizer authorizer, ServerConfig config, ILogger<EntryAdminService> logger)
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

    /// <inheritdoc/>
    public override async Task<EntryApi.CountEntriesResponse> CountEntries(EntryApi.CountEntriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var f = request.Filter;
        var filter = f is null
            ? EntryFilter.All
            : FilterConverter.ToEntryFilter(f.BySpiffeId, f.ByParentId, f.BySelectors, f.ByFederatesWith, f.ByHint, f.ByDownstream);
        var count = await this.dataStore.CountEntriesAsync(filter, context.CancellationToken);
        return new EntryApi.CountEntriesResponse { Count = count };
    }

    /// <inheritdoc/>
    public override async Task<EntryApi.ListEntriesResponse> ListEntries(EntryApi.ListEntriesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var f = request.Filter;
        var filter = f is null
            ? EntryFilter.All
            : FilterConverter.ToEntryFilter(f.BySpiffeId, f.ByParentId, f.BySelectors, f.ByFederatesWith, f.ByHint, f.ByDownstream);
        Page<RegistrationEntry> page;
        try
        {
            page = await this.dataStore.ListEntriesAsync(filter, request.PageSize, NullIfEmpty(request.PageToken), context.CancellationToken);
        }
        catch (DataStoreException ex)
        {
            throw AdminStatus.Error(ex, "failed to list entries", "entry not found");
        }

        var response = new EntryApi.ListEntriesResponse { NextPageToken = page.NextPageToken };
        response.Entries.AddRange(page.Items.Select(e => EntryMapping.ToProto(e, request.OutputMask)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<Types.Entry> GetEntry(EntryApi.GetEntryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        if (request.Id.Length == 0)
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, "missing ID");
        }

        var entry = await this.dataStore.GetEntryAsync(request.Id, context.CancellationToken)
            ?? throw AdminStatus.Error(StatusCode.NotFound, "entry not found");
        return EntryMapping.ToProto(entry, request.OutputMask);
    }

    /// <inheritdoc/>
    public override async Task<EntryApi.BatchCreateEntryResponse> BatchCreateEntry(EntryApi.BatchCreateEntryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var scope = await this.authorizer.AuthorizeEntryChangeAsync(context);
        var response = new EntryApi.BatchCreateEntryResponse();
        foreach (var item in request.Entries)
        {
            response.Results.Add(await this.CreateAsync(item, request.OutputMask, scope, context.CancellationToken));
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<EntryApi.BatchUpdateEntryResponse> BatchUpdateEntry(EntryApi.BatchUpdateEntryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var scope = await this.authorizer.AuthorizeEntryChangeAsync(context);
        var response = new EntryApi.BatchUpdateEntryResponse();
        foreach (var item in request.Entries)
        {
            response.Results.Add(await this.UpdateAsync(item, request.InputMask, request.OutputMask, scope, context.CancellationToken));
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<EntryApi.BatchDeleteEntryResponse> BatchDeleteEntry(EntryApi.BatchDeleteEntryRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var scope = await this.authorizer.AuthorizeEntryChangeAsync(context);
        var response = new EntryApi.BatchDeleteEntryResponse();
        foreach (var id in request.Ids)
        {
            response.Results.Add(new EntryApi.BatchDeleteEntryResponse.Types.Result { Id = id, Status = await this.DeleteAsync(id, scope, context.CancellationToken) });
        }

        return response;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private async Task<EntryApi.BatchCreateEntryResponse.Types.Result> CreateAsync(
        Types.Entry item, Types.EntryMask? outputMask, TaskGrantScope? scope, CancellationToken cancellationToken)
    {
        RegistrationEntry entry;
        try
        {
            entry = EntryConverter.ForCreate(item, this.config.TrustDomain);
        }
        catch (AdminValidationException ex)
        {
            return new() { Status = AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert entry: " + ex.Message) };
        }

        if (scope?.CheckWrite(entry) is { } denied)
        {
            return new() { Status = AdminStatus.Create(StatusCode.PermissionDenied, denied) };
        }

        try
        {
            var (stored, created) = await this.dataStore.CreateOrReturnEntryAsync(entry, cancellationToken);
            if (created)
            {
                this.logger.EntryCreated(stored.Id, stored.SpiffeId, stored.ParentId);
            }

            return new()
            {
                Status = created ? AdminStatus.Ok() : AdminStatus.Create(StatusCode.AlreadyExists, "similar entry already exists"),
                Entry = EntryMapping.ToProto(stored, outputMask),
            };
        }
        catch (DataStoreException ex)
        {
            return new() { Status = AdminStatus.FromDataStore(ex, "failed to create entry", "entry not found") };
        }
    }

    private async Task<EntryApi.BatchUpdateEntryResponse.Types.Result> UpdateAsync(
        Types.Entry item, Types.EntryMask? inputMask, Types.EntryMask? outputMask, TaskGrantScope? scope, CancellationToken cancellationToken)
    {
        try
        {
            EntryConverter.ValidateId(item.Id, required: true);
        }
        catch (AdminValidationException ex)
        {
            return new() { Status = AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert entry: " + ex.Message) };
        }

        var existing = await this.dataStore.GetEntryAsync(item.Id, cancellationToken);
        if (existing is null)
        {
            return new() { Status = AdminStatus.Create(StatusCode.NotFound, "entry not found") };
        }

        if (scope?.CheckOwned(existing) is { } notOwned)
        {
            return new() { Status = AdminStatus.Create(StatusCode.PermissionDenied, notOwned) };
        }

        RegistrationEntry entry;
        try
        {
            entry = EntryConverter.ForUpdate(item, inputMask, existing, this.config.TrustDomain);
        }
        catch (AdminValidationException ex)
        {
            return new() { Status = AdminStatus.Create(StatusCode.InvalidArgument, "failed to convert entry: " + ex.Message) };
        }

        if (scope?.CheckWrite(entry) is { } denied)
        {
            return new() { Status = AdminStatus.Create(StatusCode.PermissionDenied, denied) };
        }

        try
        {
            var stored = await this.dataStore.UpdateEntryAsync(entry, cancellationToken);
            this.logger.EntryUpdated(stored.Id, stored.RevisionNumber);
            return new() { Status = AdminStatus.Ok(), Entry = EntryMapping.ToProto(stored, outputMask) };
        }
        catch (DataStoreException ex)
        {
            return new() { Status = AdminStatus.FromDataStore(ex, "failed to update entry", "entry not found") };
        }
    }

    private async Task<Types.Status> DeleteAsync(string id, TaskGrantScope? scope, CancellationToken cancellationToken)
    {
        if (id.Length == 0)
        {
            return AdminStatus.Create(StatusCode.InvalidArgument, "missing entry ID");
        }

        if (scope is not null)
        {
            var existing = await this.dataStore.GetEntryAsync(id, cancellationToken);
            if (existing is null)
            {
                return AdminStatus.Create(StatusCode.NotFound, "entry not found");
            }

            if (scope.CheckOwned(existing) is { } denied)
            {
                return AdminStatus.Create(StatusCode.PermissionDenied, denied);
            }
        }

        if (await this.dataStore.DeleteEntryAsync(id, cancellationToken) is null)
        {
            return AdminStatus.Create(StatusCode.NotFound, "entry not found");
        }

        this.logger.EntryDeleted(id);
        return AdminStatus.Ok();
    }
}
