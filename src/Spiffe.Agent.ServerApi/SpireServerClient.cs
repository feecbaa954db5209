using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Workload;
using Spiffe.Agent.ServerApi.Attestation;
using Spiffe.Agent.ServerApi.Entries;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Proto.Spire.Types;
using AgentService = Spiffe.Proto.Spire.Server.Agent.V1.Agent;
using BundleService = Spiffe.Proto.Spire.Server.Bundle.V1.Bundle;
using EntryService = Spiffe.Proto.Spire.Server.Entry.V1.Entry;
using SvidService = Spiffe.Proto.Spire.Server.Svid.V1.SVID;

namespace Spiffe.Agent.ServerApi;

/// <summary>
/// <see cref="ISpireServerClient"/> over gRPC: maps the domain to SPIRE's server API messages and back, and every
/// gRPC failure to <see cref="SpireServerException"/>. Each call has a 30 s deadline.
/// </summary>
internal sealed class SpireServerClient : ISpireServerClient
{
    /// <summary>The per-call deadline.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The most CSRs sent in one <c>BatchNewX509SVID</c> call.</summary>
    public const int MaxCsrsPerBatch = 500;

    private readonly AgentOptions _options;
    private readonly IServerChannels _channels;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SpireServerClient> _logger;
    private volatile bool _useSyncAuthorizedEntries;

    /// <summary>Creates the client.</summary>
    public SpireServerClient(AgentOptions options, IServerChannels channels, TimeProvider timeProvider, ILogger<SpireServerClient> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _useSyncAuthorizedEntries = options.UseSyncAuthorizedEntries;
    }

    /// <inheritdoc/>
    public async Task<AgentAttestationResult> AttestAgentAsync(
        NodeAttestationParameters attestation,
        ECDsa agentKey,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        ArgumentNullException.ThrowIfNull(agentKey);
        using var channel = _channels.OpenAttestationChannel();
        var (chain, reattestable) = await CallAsync(
            options => RunAttestationAsync(new AgentService.AgentClient(channel.Invoker), attestation, agentKey, options),
            cancellationToken);
        var bundle = await CallAsync(
            async options => await new BundleService.BundleClient(channel.Invoker).GetBundleAsync(new GetBundleRequest(), options),
            cancellationToken);
        return new AgentAttestationResult(chain, reattestable, BundleMapper.Map(bundle, _options.TrustDomain));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<X509Certificate2>> RenewAgentAsync(ECDsa newAgentKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newAgentKey);
        var request = new RenewAgentRequest
        {
            Params = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(CertificateSigningRequests.Create(newAgentKey, null)) },
        };
        var response = await CallAsync(
            async options => await new AgentService.AgentClient(_channels.GetAgentInvoker()).RenewAgentAsync(request, options),
            cancellationToken);
        return BundleMapper.MapChain(response.Svid?.CertChain ?? []);
    }

    /// <inheritdoc/>
    public async Task PostStatusAsync(string agentVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentVersion);
        await CallAsync(
            async options => await new AgentService.AgentClient(_channels.GetAgentInvoker())
                .PostStatusAsync(new PostStatusRequest { AgentVersion = agentVersion }, options),
            cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RegistrationEntry>> GetAuthorizedEntriesAsync(
        IReadOnlyDictionary<string, RegistrationEntry> cachedEntries,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cachedEntries);
        var client = new EntryService.EntryClient(_channels.GetAgentInvoker());
        if (_useSyncAuthorizedEntries)
        {
            try
            {
                return await CallAsync(
                    async options =>
                    {
                        using var call = client.SyncAuthorizedEntries(options);
                        return await AuthorizedEntriesSync.RunAsync(call, cachedEntries, OnMalformedEntry, options.CancellationToken);
                    },
                    cancellationToken);
            }
            catch (SpireServerException ex) when (ex.StatusCode == ServerStatusCode.Unimplemented)
            {
                ServerApiLog.SyncAuthorizedEntriesUnimplemented(_logger);
                _useSyncAuthorizedEntries = false;
            }
        }

        var response = await CallAsync(
            async options => await client.GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest { OutputMask = EntryMapper.OutputMask }, options),
            cancellationToken);
        return AuthorizedEntriesSync.FromCompleteList(response.Entries, cachedEntries, OnMalformedEntry);
    }

    /// <inheritdoc/>
    public async Task<ServerBundle> GetBundleAsync(CancellationToken cancellationToken)
    {
        var bundle = await CallAsync(
            async options => await new BundleService.BundleClient(_channels.GetAgentInvoker()).GetBundleAsync(new GetBundleRequest(), options),
            cancellationToken);
        return BundleMapper.Map(bundle, _options.TrustDomain);
    }

    /// <inheritdoc/>
    public async Task<ServerBundle?> GetFederatedBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken)
    {
        try
        {
            var bundle = await CallAsync(
                async options => await new BundleService.BundleClient(_channels.GetAgentInvoker())
                    .GetFederatedBundleAsync(new GetFederatedBundleRequest { TrustDomain = trustDomain.Name }, options),
                cancellationToken);
            return BundleMapper.Map(bundle, trustDomain);
        }
        catch (SpireServerException ex) when (ex.StatusCode == ServerStatusCode.NotFound)
        {
            ServerApiLog.FederatedBundleNotFound(_logger, trustDomain.Name);
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<X509SvidMintResult>> BatchNewX509SvidAsync(
        IReadOnlyList<X509SvidMintRequest> requests,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new List<X509SvidMintResult>(requests.Count);
        foreach (var batch in requests.Chunk(MaxCsrsPerBatch))
        {
            var request = new BatchNewX509SVIDRequest();
            request.Params.AddRange(batch.Select(r => new NewX509SVIDParams
            {
                EntryId = r.EntryId,
                Csr = ByteString.CopyFrom(CertificateSigningRequests.Create(r.PrivateKey, r.SpiffeId)),
            }));
            var response = await CallAsync(
                async options => await new SvidService.SVIDClient(_channels.GetAgentInvoker()).BatchNewX509SVIDAsync(request, options),
                cancellationToken);
            if (response.Results.Count != batch.Length)
            {
                throw new SpireServerException(
                    ServerStatusCode.Internal,
                    $"the server returned {response.Results.Count} results for {batch.Length} CSRs");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                results.Add(MapMintResult(batch[i].EntryId, response.Results[i]));
            }
        }

        return results;
    }

    /// <inheritdoc/>
    public async Task<IssuedJwtSvid> NewJwtSvidAsync(
        RegistrationEntry entry,
        IReadOnlyList<string> audiences,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(audiences);
        var request = new NewJWTSVIDRequest { EntryId = entry.Id };
        request.Audience.AddRange(audiences);
        var response = await CallAsync(
            async options => await new SvidService.SVIDClient(_channels.GetAgentInvoker()).NewJWTSVIDAsync(request, options),
            cancellationToken);
        var svid = response.Svid ?? throw Malformed("the JWT-SVID response has no SVID");
        if (svid.IssuedAt == 0 || svid.ExpiresAt == 0 || svid.IssuedAt > svid.ExpiresAt || svid.Token.Length == 0)
        {
            throw Malformed("the JWT-SVID response has a missing token or inconsistent issued/expiry times");
        }

        if (!EntryMapper.TryMapId(svid.Id, out var id))
        {
            throw Malformed("the JWT-SVID response has an invalid SPIFFE ID");
        }

        return new IssuedJwtSvid(
            entry.Id,
            id,
            svid.Token,
            entry.Hint,
            DateTimeOffset.FromUnixTimeSeconds(svid.IssuedAt),
            DateTimeOffset.FromUnixTimeSeconds(svid.ExpiresAt));
    }

    private static SpireServerException Malformed(string message) => new(ServerStatusCode.Internal, message);

    private async Task<(IReadOnlyList<X509Certificate2> Chain, bool Reattestable)> RunAttestationAsync(
        AgentService.AgentClient client,
        NodeAttestationParameters attestation,
        ECDsa agentKey,
        CallOptions options)
    {
        var payload = attestation switch
        {
            JoinTokenAttestation joinToken => System.Text.Encoding.UTF8.GetBytes(joinToken.Token),
            X509PopAttestation x509Pop => X509PopProtocol.CreatePayload(x509Pop.Chain),
            _ => throw new ArgumentException($"unsupported attestation type {attestation.Type}", nameof(attestation)),
        };
        using var call = client.AttestAgent(options);
        await call.RequestStream.WriteAsync(
            new AttestAgentRequest
            {
                Params = new AttestAgentRequest.Types.Params
                {
                    Data = new AttestationData { Type = attestation.Type, Payload = ByteString.CopyFrom(payload) },
                    Params_ = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(CertificateSigningRequests.Create(agentKey, null)) },
                },
            },
            options.CancellationToken);
        while (true)
        {
            if (!await call.ResponseStream.MoveNext(options.CancellationToken))
            {
                throw Malformed("the server ended attestation without a result");
            }

            var response = call.ResponseStream.Current;
            if (response.StepCase == AttestAgentResponse.StepOneofCase.Result)
            {
                await call.RequestStream.CompleteAsync();
                var chain = BundleMapper.MapChain(response.Result.Svid?.CertChain ?? []);
                return (chain, response.Result.Reattestable);
            }

            if (response.StepCase != AttestAgentResponse.StepOneofCase.Challenge)
            {
                throw Malformed("the server sent an empty attestation response");
            }

            if (attestation is not X509PopAttestation pop)
            {
                throw Malformed($"the server sent a challenge to {attestation.Type} attestation, which has none");
            }

            byte[] answer;
            try
            {
                answer = X509PopProtocol.CreateResponse(response.Challenge.Span, pop.PrivateKey);
            }
            catch (FormatException ex)
            {
                throw new SpireServerException(ServerStatusCode.Internal, "cannot answer the x509pop challenge: " + ex.Message, innerException: ex);
            }

            await call.RequestStream.WriteAsync(new AttestAgentRequest { ChallengeResponse = ByteString.CopyFrom(answer) }, options.CancellationToken);
            ServerApiLog.AttestationChallengeAnswered(_logger, attestation.Type);
        }
    }

    private X509SvidMintResult MapMintResult(string entryId, BatchNewX509SVIDResponse.Types.Result result)
    {
        var code = result.Status?.Code ?? (int)StatusCode.Unknown;
        if (code != (int)StatusCode.OK || result.Svid is null)
        {
            var message = result.Status?.Message ?? "no status";
            ServerApiLog.X509SvidMintFailed(_logger, entryId, code, message);
            return new X509SvidMintResult(entryId, null, $"{(StatusCode)code}: {message}");
        }

        return new X509SvidMintResult(entryId, BundleMapper.MapChain(result.Svid.CertChain), null);
    }

    private void OnMalformedEntry(string entryId, string reason) => ServerApiLog.MalformedEntryIgnored(_logger, entryId, reason);

    private async Task<T> CallAsync<T>(Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var options = new CallOptions(
            deadline: _timeProvider.GetUtcNow().UtcDateTime + CallTimeout,
            cancellationToken: cancellationToken);
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
        catch (InvalidDataException ex)
        {
            throw new SpireServerException(ServerStatusCode.Internal, ex.Message, innerException: ex);
        }
    }
}
