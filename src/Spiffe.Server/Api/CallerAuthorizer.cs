using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Reason = Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason;

namespace Spiffe.Server.Api;

/// <summary>
/// Classifies callers of the agent-facing API as SPIRE's policy does. An <b>agent</b> presents (mTLS) an unexpired
/// X509-SVID of this trust domain that chains to the own bundle and whose serial is the attested node's current
/// serial, or its new serial (which is then promoted to current). Otherwise the call fails with
/// <c>PermissionDenied</c> and, once the caller is identifiable as an agent, a <c>PermissionDeniedDetails</c> reason.
/// An <b>admin</b> presents an SVID whose ID belongs to an entry with <c>admin = true</c>. Callers on the admin Unix
/// socket are <b>local</b>.
/// </summary>
internal sealed class CallerAuthorizer
{
    private const string ChainCacheKey = "spiffe.server.caller-chain";
    private readonly IDataStore _store;
    private readonly CaManager _ca;
    private readonly ServerConfig _config;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the authorizer.</summary>
    public CallerAuthorizer(IDataStore store, CaManager ca, ServerConfig config, TimeProvider timeProvider, ILogger<CallerAuthorizer> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _ca = ca ?? throw new ArgumentNullException(nameof(ca));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Whether the call came through the admin Unix socket.</summary>
    public static bool IsLocal(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Hosting.ListenerMatcherPolicy.ListenerOf(context.GetHttpContext()) == Hosting.ListenerKind.AdminApi;
    }

    /// <summary>Authorizes the caller as an attested agent and returns its record (after serial promotion).</summary>
    /// <exception cref="RpcException">PermissionDenied, with details when the caller presented an agent SVID.</exception>
    public async Task<AttestedAgent> AuthorizeAgentAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var certificate = http.Connection.ClientCertificate;
        if (certificate is null)
        {
            throw Denied(context, "caller has no X509-SVID");
        }

        var id = SanEncoder.ReadSpiffeId(certificate);
        if (id is not { } agentId || !agentId.MemberOf(_config.TrustDomain) || !agentId.Path.StartsWith("/spire/agent/", StringComparison.Ordinal))
        {
            throw Denied(context, "caller is not an agent");
        }

        var now = _timeProvider.GetUtcNow();
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime)
        {
            throw Agent(context, agentId, Reason.AgentExpired, "agent SVID has expired");
        }

        if (!await IsTrustedAsync(http, certificate, now, context.CancellationToken))
        {
            throw Denied(context, "caller SVID is not signed by this server's trust domain");
        }

        var agent = await _store.GetAttestedAgentAsync(agentId, context.CancellationToken)
            ?? throw Agent(context, agentId, Reason.AgentNotAttested, "agent is not attested");
        if (agent.Banned)
        {
            throw Agent(context, agentId, Reason.AgentBanned, "agent is banned");
        }

        var serial = SerialNumbers.ToDecimal(certificate);
        if (serial == agent.SerialNumber)
        {
            return agent;
        }

        if (agent.NewSerialNumber.Length > 0 && serial == agent.NewSerialNumber)
        {
            var promoted = agent with
            {
                SerialNumber = agent.NewSerialNumber,
                ExpiresAt = agent.NewExpiresAt,
                NewSerialNumber = string.Empty,
                NewExpiresAt = 0,
            };
            promoted = await _store.UpdateAttestedAgentAsync(promoted, CancellationToken.None);
            ApiLog.AgentSerialPromoted(_logger, agentId);
            return promoted;
        }

        throw Agent(context, agentId, Reason.AgentNotActive, "agent is not active");
    }

    /// <summary>Authorizes an agent, an admin (SVID of an admin entry) or a local caller; returns the caller's ID (zero for local).</summary>
    /// <exception cref="RpcException">PermissionDenied.</exception>
    public async Task<SpiffeId> AuthorizeAgentOrAdminAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsLocal(context))
        {
            return default;
        }

        var http = context.GetHttpContext();
        var certificate = http.Connection.ClientCertificate;
        if (certificate is not null && SanEncoder.ReadSpiffeId(certificate) is { } id && id.MemberOf(_config.TrustDomain)
            && !id.Path.StartsWith("/spire/agent/", StringComparison.Ordinal))
        {
            var now = _timeProvider.GetUtcNow();
            if (certificate.NotAfter.ToUniversalTime() > now.UtcDateTime
                && await IsTrustedAsync(http, certificate, now, context.CancellationToken)
                && (await _store.ListEntriesAsync(new EntryFilter { BySpiffeId = id }, 0, null, context.CancellationToken)).Items.Any(e => e.Admin))
            {
                return id;
            }

            throw Denied(context, "caller is not an admin");
        }

        return (await AuthorizeAgentAsync(context)).Id;
    }

    private async Task<bool> IsTrustedAsync(HttpContext http, X509Certificate2 certificate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bundle = await _store.GetBundleAsync(_config.TrustDomain, cancellationToken);
        if (bundle is null)
        {
            return false;
        }

        // The TLS client certificate is fixed for the connection: cache the chain result per bundle version.
        var items = http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(ChainCacheKey, out var cached) && cached is (ulong sequence, bool valid)
            && sequence == bundle.SequenceNumber)
        {
            return valid;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        var roots = bundle.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Der)).ToArray();
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(_ca.ServerCaCertificates.ToArray());
        var ok = chain.Build(certificate);
        foreach (var root in roots)
        {
            root.Dispose();
        }

        if (items is not null)
        {
            items[ChainCacheKey] = (bundle.SequenceNumber, ok);
        }

        return ok;
    }

    private RpcException Denied(ServerCallContext context, string message)
    {
        ApiLog.CallerDenied(_logger, context.Method, message);
        return RpcErrors.Status(StatusCode.PermissionDenied, message);
    }

    private RpcException Agent(ServerCallContext context, SpiffeId agentId, Reason reason, string message)
    {
        ApiLog.AgentDenied(_logger, context.Method, agentId, reason);
        return RpcErrors.AgentDenied(reason, message);
    }
}
