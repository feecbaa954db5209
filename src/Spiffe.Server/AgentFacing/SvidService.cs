using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// Agent-facing part of <c>spire.api.server.svid.v1.SVID</c>: <c>BatchNewX509SVID</c>, <c>NewJWTSVID</c> and
/// <c>BatchNewWITSVID</c>. The SPIFFE ID, DNS names and TTL come from the authorized entry, and no SVID outlives the
/// entry's <c>expires_at</c>; only the CSR's public key is used, after its signature is verified. Batch results are
/// index-aligned with per-item status. The serials of admin entries' X509-SVIDs are recorded for task grants.
/// </summary>
internal sealed partial class SvidService : SVID.SVIDBase
{
    /// <summary>Most CSRs accepted in one batch.</summary>
    public const int MaxBatchSize = 1000;

    private const string NotAuthorized = "entry not found or not authorized";
    private readonly IDataStore _store;
    private readonly CredentialSigner _signer;
    private readonly CallerAuthorizer _authorizer;
    private readonly IAdminSvidStore _adminSvids;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public SvidService(IDataStore store, CredentialSigner signer, CallerAuthorizer authorizer, IAdminSvidStore adminSvids, ILogger<SvidService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _adminSvids = adminSvids ?? throw new ArgumentNullException(nameof(adminSvids));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override async Task<BatchNewX509SVIDResponse> BatchNewX509SVID(BatchNewX509SVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (request.Params.Count == 0)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing parameters");
        }

        if (request.Params.Count > MaxBatchSize)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, $"too many CSRs in one batch (at most {MaxBatchSize})");
        }

        var authorized = (await _store.GetAuthorizedEntriesAsync(agent.Id, agent.Selectors, context.CancellationToken))
            .ToDictionary(e => e.Id, StringComparer.Ordinal);
        var results = new BatchNewX509SVIDResponse.Types.Result[request.Params.Count];
        Parallel.For(
            0,
            results.Length,
            new ParallelOptions { CancellationToken = context.CancellationToken },
            i => results[i] = SignOne(request.Params[i], authorized));
        await RecordAdminSvidsAsync(request.Params, results, authorized, context.CancellationToken);
        var response = new BatchNewX509SVIDResponse();
        response.Results.AddRange(results);
        return response;
    }

    /// <inheritdoc />
    public override async Task<NewJWTSVIDResponse> NewJWTSVID(NewJWTSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (string.IsNullOrEmpty(request.EntryId))
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "missing entry ID");
        }

        if (request.Audience.Count == 0 || request.Audience.Any(string.IsNullOrEmpty))
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, "at least one non-empty audience is required");
        }

        var entry = (await _store.GetAuthorizedEntriesAsync(agent.Id, agent.Selectors, context.CancellationToken))
            .FirstOrDefault(e => e.Id == request.EntryId)
            ?? throw RpcErrors.Status(StatusCode.NotFound, NotAuthorized);
        var token = _signer.SignJwtSvid(entry.SpiffeId, request.Audience, TimeSpan.FromSeconds(entry.JwtSvidTtl), entry.JwtSvidIncludeJti, EntryExpiry.Of(entry));
        return new NewJWTSVIDResponse
        {
            Svid = new JWTSVID
            {
                Token = token.Token,
                Id = ProtoIds.ToProto(entry.SpiffeId),
                ExpiresAt = token.ExpiresAt.ToUnixTimeSeconds(),
                IssuedAt = token.IssuedAt.ToUnixTimeSeconds(),
                Hint = entry.Hint,
            },
        };
    }

    private BatchNewX509SVIDResponse.Types.Result SignOne(NewX509SVIDParams item, Dictionary<string, RegistrationEntry> authorized)
    {
        if (string.IsNullOrEmpty(item.EntryId))
        {
            return Failed(item.EntryId, StatusCode.InvalidArgument, "missing entry ID");
        }

        if (!authorized.TryGetValue(item.EntryId, out var entry))
        {
            return Failed(item.EntryId, StatusCode.NotFound, NotAuthorized);
        }

        if (item.Csr.IsEmpty)
        {
            return Failed(item.EntryId, StatusCode.InvalidArgument, "missing CSR");
        }

        System.Security.Cryptography.X509Certificates.PublicKey publicKey;
        try
        {
            publicKey = CredentialSigner.PublicKeyFromCsr(item.Csr.ToByteArray());
        }
        catch (CryptographicException ex)
        {
            return Failed(item.EntryId, StatusCode.InvalidArgument, "malformed CSR: " + ex.Message);
        }

        var svid = _signer.SignX509Svid(publicKey, entry.SpiffeId, entry.DnsNames, TimeSpan.FromSeconds(entry.X509SvidTtl), EntryExpiry.Of(entry));
        return new BatchNewX509SVIDResponse.Types.Result
        {
            Status = RpcErrors.ItemOk(),
            Svid = SvidMapping.ToProto(svid, entry.SpiffeId, entry.Hint),
        };
    }

    private BatchNewX509SVIDResponse.Types.Result Failed(string entryId, StatusCode code, string message)
    {
        ApiLog.SvidSigningFailed(_logger, entryId, message);
        return new BatchNewX509SVIDResponse.Types.Result { Status = RpcErrors.Item(code, message) };
    }
}
