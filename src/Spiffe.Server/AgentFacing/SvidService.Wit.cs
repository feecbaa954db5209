using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Api;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <content>
/// <c>BatchNewWITSVID</c>: WIT-SVIDs for entries the calling agent is authorized for, binding the public key each item
/// names (PKIX DER, checked by <see cref="WitPublicKeys"/>) with its <c>signing_algorithm</c> as <c>cnf.jwk</c>. The
/// lifetime is the entry's <c>jwt_svid_ttl</c> or <c>default_wit_svid_ttl</c>, capped by the entry's expiry and the
/// WIT key's. <c>Unimplemented</c> while the <c>wit-svid</c> feature flag is off.
/// </content>
internal sealed partial class SvidService
{
    /// <inheritdoc />
    public override async Task<BatchNewWITSVIDResponse> BatchNewWITSVID(BatchNewWITSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (!_signer.CanSignWitSvids)
        {
            throw RpcErrors.Status(StatusCode.Unimplemented, "WIT-SVIDs are not enabled on this server (experimental feature flag \"wit-svid\")");
        }

        if (request.Params.Count == 0)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing parameters");
        }

        if (request.Params.Count > MaxBatchSize)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, $"too many WIT-SVID requests in one batch (at most {MaxBatchSize})");
        }

        var authorized = (await _store.GetAuthorizedEntriesAsync(agent.Id, agent.Selectors, context.CancellationToken))
            .ToDictionary(e => e.Id, StringComparer.Ordinal);
        var results = new BatchNewWITSVIDResponse.Types.Result[request.Params.Count];
        Parallel.For(
            0,
            results.Length,
            new ParallelOptions { CancellationToken = context.CancellationToken },
            i => results[i] = SignWit(request.Params[i], authorized));
        var response = new BatchNewWITSVIDResponse();
        response.Results.AddRange(results);
        return response;
    }

    private BatchNewWITSVIDResponse.Types.Result SignWit(NewWITSVIDParams item, Dictionary<string, RegistrationEntry> authorized)
    {
        if (string.IsNullOrEmpty(item.EntryId))
        {
            return WitFailed(item.EntryId, StatusCode.InvalidArgument, "missing entry ID");
        }

        if (!authorized.TryGetValue(item.EntryId, out var entry))
        {
            return WitFailed(item.EntryId, StatusCode.NotFound, NotAuthorized);
        }

        if (item.PublicKey.IsEmpty)
        {
            return WitFailed(item.EntryId, StatusCode.InvalidArgument, "missing public key");
        }

        if (string.IsNullOrEmpty(item.SigningAlgorithm))
        {
            return WitFailed(item.EntryId, StatusCode.InvalidArgument, "missing signing algorithm");
        }

        WitConfirmationKey confirmation;
        try
        {
            confirmation = WitPublicKeys.Confirmation(item.PublicKey.Span, item.SigningAlgorithm);
        }
        catch (ArgumentException ex)
        {
            return WitFailed(item.EntryId, StatusCode.InvalidArgument, ex.Message);
        }

        var token = _signer.SignWitSvid(entry.SpiffeId, confirmation, TimeSpan.FromSeconds(entry.JwtSvidTtl), EntryExpiry.Of(entry));
        return new BatchNewWITSVIDResponse.Types.Result
        {
            Status = RpcErrors.ItemOk(),
            Svid = new WITSVID
            {
                Token = token.Token,
                Id = ProtoIds.ToProto(entry.SpiffeId),
                ExpiresAt = token.ExpiresAt.ToUnixTimeSeconds(),
                IssuedAt = token.IssuedAt.ToUnixTimeSeconds(),
                Hint = entry.Hint,
            },
        };
    }

    private BatchNewWITSVIDResponse.Types.Result WitFailed(string entryId, StatusCode code, string message)
    {
        TaskIdentityLog.WitSvidSigningFailed(_logger, entryId, message);
        return new BatchNewWITSVIDResponse.Types.Result { Status = RpcErrors.Item(code, message) };
    }
}
