using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Agent.ServerApi.Transport;
using Spiffe.Proto.Spire.Server.Svid.V1;
using SvidService = Spiffe.Proto.Spire.Server.Svid.V1.SVID;

namespace Spiffe.Agent.ServerApi.Wit;

/// <summary>
/// <see cref="IWitSvidSigner"/> over <c>SVID.BatchNewWITSVID</c> with the agent's mTLS identity: the public key goes
/// as PKIX DER with its JOSE algorithm, at most <see cref="MaxPerBatch"/> per call (more are split). 30 s deadline.
/// </summary>
internal sealed class WitSvidClient : IWitSvidSigner
{
    /// <summary>The most WIT-SVIDs asked for in one call.</summary>
    public const int MaxPerBatch = 500;

    private readonly IServerChannels _channels;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WitSvidClient> _logger;

    /// <summary>Creates the client.</summary>
    public WitSvidClient(IServerChannels channels, TimeProvider timeProvider, ILogger<WitSvidClient> logger)
    {
        _channels = channels ?? throw new ArgumentNullException(nameof(channels));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WitSvidMintResult>> BatchNewWitSvidAsync(IReadOnlyList<WitSvidMintRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var results = new List<WitSvidMintResult>(requests.Count);
        foreach (var batch in requests.Chunk(MaxPerBatch))
        {
            var request = new BatchNewWITSVIDRequest();
            request.Params.AddRange(batch.Select(r => new NewWITSVIDParams
            {
                EntryId = r.EntryId,
                PublicKey = ByteString.CopyFrom(r.PublicKey.Span),
                SigningAlgorithm = r.SigningAlgorithm,
            }));
            var options = new CallOptions(deadline: _timeProvider.GetUtcNow().UtcDateTime + SpireServerClient.CallTimeout, cancellationToken: cancellationToken);
            BatchNewWITSVIDResponse response;
            try
            {
                response = await new SvidService.SVIDClient(_channels.GetAgentInvoker()).BatchNewWITSVIDAsync(request, options);
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("the server call was cancelled", ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                throw ServerErrors.FromRpcException(ex);
            }

            if (response.Results.Count != batch.Length)
            {
                throw new SpireServerException(ServerStatusCode.Internal, $"the server returned {response.Results.Count} results for {batch.Length} WIT-SVID requests");
            }

            for (var i = 0; i < batch.Length; i++)
            {
                results.Add(Map(batch[i].EntryId, response.Results[i]));
            }
        }

        return results;
    }

    private WitSvidMintResult Map(string entryId, BatchNewWITSVIDResponse.Types.Result result)
    {
        var code = result.Status?.Code ?? (int)StatusCode.Unknown;
        if (code != (int)StatusCode.OK || result.Svid is null || result.Svid.Token.Length == 0)
        {
            var message = result.Status?.Message ?? "no status";
            WitServerApiLog.WitSvidMintFailed(_logger, entryId, code, message);
            return new WitSvidMintResult(entryId, null, $"{(StatusCode)code}: {message}");
        }

        return new WitSvidMintResult(entryId, result.Svid.Token, null);
    }
}
