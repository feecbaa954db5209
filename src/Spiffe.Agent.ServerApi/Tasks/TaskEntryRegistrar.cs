using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using EntryService = Spiffe.Proto.Spire.Server.Entry.V1.Entry;
using ProtoEntry = Spiffe.Proto.Spire.Types.Entry;
using ProtoSelector = Spiffe.Proto.Spire.Types.Selector;

namespace Spiffe.Agent.ServerApi.Tasks;

/// <summary>
/// <see cref="ITaskEntryRegistrar"/> over SPIRE's Entry admin API on the server's TLS port, presenting the agent's
/// admin SVID (an entry parented to the agent and marked admin; SPIRE honours such callers there too). The connection is
/// replaced when the admin SVID rotates.
/// </summary>
internal sealed class TaskEntryRegistrar : ITaskEntryRegistrar, IDisposable
{
    private readonly ServerChannels _channels;
    private readonly IAdminSvidSource _admin;
    private readonly IAgentCredentialSource _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TaskEntryRegistrar> _logger;
    private readonly Lock _lock = new();
    private X509Svid? _svid;
    private OwnedChannel? _current;
    private OwnedChannel? _retired;

    /// <summary>Creates the registrar.</summary>
    public TaskEntryRegistrar(
        ServerChannels channels, IAdminSvidSource admin, IAgentCredentialSource credentials, TimeProvider timeProvider, ILogger<TaskEntryRegistrar> logger)
    {
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _admin = admin ?? throw new ArgumentNullException(nameof(admin));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc/>
    public async Task CreateAsync(TaskEntrySpec entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var parent = _credentials.AgentSvid?.Id ?? throw new SpireServerException(ServerStatusCode.Unavailable, "the agent has no SVID yet");
        var proto = new ProtoEntry
        {
            Id = entry.EntryId,
            SpiffeId = ToProto(entry.SpiffeId),
            ParentId = ToProto(parent),
            X509SvidTtl = Seconds(entry.X509SvidTtl),
            JwtSvidTtl = Seconds(entry.JwtSvidTtl),
            ExpiresAt = entry.ExpiresAt.ToUnixTimeSeconds(),
            AdditionalAttributes = new ProtoEntry.Types.AdditionalAttributes { DisableX509SvidPrefetch = true, JwtSvidIncludeJti = true },
        };
        proto.Selectors.AddRange(entry.Selectors.Select(s => new ProtoSelector { Type = s.Type, Value = s.Value }));
        var request = new BatchCreateEntryRequest { OutputMask = new EntryMask() };
        request.Entries.Add(proto);
        var result = await CreateOnceAsync(request, cancellationToken);
        if (result?.Status?.Code == (int)StatusCode.AlreadyExists && result.Entry is { Id.Length: > 0 } stale && stale.Id != entry.EntryId)
        {
            // A similar entry of an earlier task with this ID whose deletion was missed: replace it.
            await DeleteAsync(stale.Id, cancellationToken);
            result = await CreateOnceAsync(request, cancellationToken);
        }

        ThrowIfFailed(result?.Status, "create");
        ServerApiLog.TaskEntryCreated(_logger, entry.EntryId, entry.SpiffeId, entry.ExpiresAt);
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string entryId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryId);
        var request = new BatchDeleteEntryRequest();
        request.Ids.Add(entryId);
        var invoker = await GetInvokerAsync(cancellationToken);
        var response = await CallAsync(
            options => new EntryService.EntryClient(invoker).BatchDeleteEntryAsync(request, options).ResponseAsync, cancellationToken);
        var status = response.Results.Count == 1 ? response.Results[0].Status : null;
        if (status?.Code == (int)StatusCode.NotFound)
        {
            return;
        }

        ThrowIfFailed(status, "delete");
        ServerApiLog.TaskEntryDeleted(_logger, entryId);
    }

    /// <summary>Closes the admin connections.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _retired?.Dispose();
            _current?.Dispose();
            _retired = null;
            _current = null;
        }
    }

    private static SPIFFEID ToProto(SpiffeId id) => new() { TrustDomain = id.TrustDomain.Name, Path = id.Path };

    private static int Seconds(TimeSpan ttl) => (int)Math.Clamp(Math.Floor(ttl.TotalSeconds), 1, int.MaxValue);

    private static void ThrowIfFailed(Proto.Spire.Types.Status? status, string operation)
    {
        if (status is null)
        {
            throw new SpireServerException(ServerStatusCode.Internal, $"the server returned no result to the entry {operation}");
        }

        if (status.Code != (int)StatusCode.OK)
        {
            throw new SpireServerException((ServerStatusCode)status.Code, status.Message);
        }
    }

    private async Task<BatchCreateEntryResponse.Types.Result?> CreateOnceAsync(BatchCreateEntryRequest request, CancellationToken cancellationToken)
    {
        var invoker = await GetInvokerAsync(cancellationToken);
        var response = await CallAsync(
            options => new EntryService.EntryClient(invoker).BatchCreateEntryAsync(request, options).ResponseAsync, cancellationToken);
        return response.Results.Count == 1 ? response.Results[0] : null;
    }

    private async Task<CallInvoker> GetInvokerAsync(CancellationToken cancellationToken)
    {
        var svid = await _admin.GetAsync(cancellationToken);
        lock (_lock)
        {
            if (_current is null || !ReferenceEquals(svid, _svid))
            {
                _retired?.Dispose();
                _retired = _current;
                _current = _channels.OpenChannel(svid);
                _svid = svid;
            }

            return _current.Channel.CreateCallInvoker();
        }
    }

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
