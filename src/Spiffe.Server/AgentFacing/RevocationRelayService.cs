using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Proto.Server.Revocation.V1;
using Spiffe.Server.Api;
using Spiffe.Server.DataStore;
using WireRevocation = Spiffe.Proto.Server.Revocation.V1.RelayedRevocation;

namespace Spiffe.Server.AgentFacing;

/// <summary>
/// <c>spiffe.server.revocation.v1.RevocationRelay</c> on the agent-facing TLS listener. Agents publish the credentials
/// they revoke when a task ends and list what every agent published since the sequence number they last saw. Both
/// RPCs require an attested agent's mTLS identity (<c>PermissionDenied</c> otherwise). A publication is all or
/// nothing: one malformed item refuses the call with <c>InvalidArgument</c>. Each revocation is stored once per
/// <c>jti</c> or serial, with the publishing agent's ID taken from its SVID (the request's <c>agent_id</c> is
/// ignored), and kept until the credential expires.
/// </summary>
internal sealed class RevocationRelayService : RevocationRelay.RevocationRelayBase
{
    /// <summary>Most revocations accepted in one call.</summary>
    public const int MaxBatchSize = 1000;

    private const int MaxTaskIdLength = 128;
    private const int MaxJtiLength = 255;
    private const int MaxSerialLength = 128;
    private const int MaxSpiffeIdLength = 2048;
    private const int MaxReasonLength = 1024;

    private readonly IRevocationRelayStore _store;
    private readonly CallerAuthorizer _authorizer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public RevocationRelayService(IRevocationRelayStore store, CallerAuthorizer authorizer, TimeProvider timeProvider, ILogger<RevocationRelayService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _authorizer = authorizer ?? throw new ArgumentNullException(nameof(authorizer));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The canonical form of a serial number: lowercase hex without separators, <c>0x</c> or leading zeros.</summary>
    /// <param name="serial">A hex serial such as <c>00:AB:CD</c>, <c>0x00abcd</c> or <c>ABCD</c>.</param>
    /// <returns>The canonical form, or null when it is not hex.</returns>
    public static string? NormalizeSerial(string serial)
    {
        ArgumentNullException.ThrowIfNull(serial);
        var hex = serial.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (hex.StartsWith("0x", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var trimmed = hex.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    /// <inheritdoc />
    public override async Task<PublishRevocationsResponse> PublishRevocations(PublishRevocationsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var agent = await _authorizer.AuthorizeAgentAsync(context);
        if (request.Revocations.Count > MaxBatchSize)
        {
            throw RpcErrors.Status(StatusCode.InvalidArgument, $"too many revocations in one call (at most {MaxBatchSize})");
        }

        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var records = new List<StoredRevocation>(request.Revocations.Count);
        for (var i = 0; i < request.Revocations.Count; i++)
        {
            records.Add(ToRecord(request.Revocations[i], i, agent.Id, now));
        }

        var sequence = await _store.PublishRevocationsAsync(records, now, context.CancellationToken);
        TaskIdentityLog.RevocationsPublished(_logger, agent.Id, records.Count, sequence);
        return new PublishRevocationsResponse { Sequence = sequence };
    }

    /// <inheritdoc />
    public override async Task<ListRevocationsResponse> ListRevocations(ListRevocationsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _authorizer.AuthorizeAgentAsync(context);
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var (revocations, sequence) = await _store.ListRevocationsAsync(request.AfterSequence, now, context.CancellationToken);
        var response = new ListRevocationsResponse { Sequence = sequence };
        response.Revocations.AddRange(revocations.Select(ToProto));
        return response;
    }

    private static StoredRevocation ToRecord(WireRevocation item, int index, SpiffeId agentId, long now)
    {
        var (kind, credential) = item.CredentialCase switch
        {
            WireRevocation.CredentialOneofCase.Jti when item.Jti.Length is > 0 and <= MaxJtiLength => (RelayedCredentialKind.Jti, item.Jti),
            WireRevocation.CredentialOneofCase.Jti => throw Invalid(index, $"jti must have 1 to {MaxJtiLength} characters"),
            WireRevocation.CredentialOneofCase.X509Serial when item.X509Serial.Length <= MaxSerialLength && NormalizeSerial(item.X509Serial) is { } serial
                => (RelayedCredentialKind.X509Serial, serial),
            WireRevocation.CredentialOneofCase.X509Serial => throw Invalid(index, "x509_serial must be a hexadecimal serial number"),
            _ => throw Invalid(index, "one of jti or x509_serial is required"),
        };
        if (item.TaskId.Length is 0 or > MaxTaskIdLength)
        {
            throw Invalid(index, $"task_id must have 1 to {MaxTaskIdLength} characters");
        }

        if (item.SpiffeId.Length > MaxSpiffeIdLength || (item.SpiffeId.Length > 0 && !SpiffeId.TryParse(item.SpiffeId, out _)))
        {
            throw Invalid(index, "spiffe_id must be empty or a SPIFFE ID");
        }

        if (item.ExpiresAt <= 0)
        {
            throw Invalid(index, "expires_at is required");
        }

        if (item.Reason.Length > MaxReasonLength)
        {
            throw Invalid(index, $"reason must have at most {MaxReasonLength} characters");
        }

        return new StoredRevocation(0, kind, credential, item.TaskId, item.SpiffeId, item.ExpiresAt, item.RevokedAt > 0 ? item.RevokedAt : now, item.Reason, agentId);
    }

    private static WireRevocation ToProto(StoredRevocation record)
    {
        var proto = new WireRevocation
        {
            TaskId = record.TaskId,
            SpiffeId = record.SpiffeId,
            ExpiresAt = record.ExpiresAt,
            RevokedAt = record.RevokedAt,
            Reason = record.Reason,
            AgentId = record.AgentId.ToString(),
        };
        if (record.Kind == RelayedCredentialKind.Jti)
        {
            proto.Jti = record.CredentialId;
        }
        else
        {
            proto.X509Serial = record.CredentialId;
        }

        return proto;
    }

    private static RpcException Invalid(int index, string message) =>
        RpcErrors.Status(StatusCode.InvalidArgument, $"revocation {index}: {message}");
}
