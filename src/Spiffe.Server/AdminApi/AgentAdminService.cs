using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;
using Types = Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The admin half of <c>spire.api.server.agent.v1.Agent</c>: count, list, get, evict (delete) and ban attested agents,
/// and create join tokens. Attestation, renewal and status reports are the agent-facing service's.
/// </summary>
internal sealed class AgentAdminService : AgentApi.Agent.AgentBase
{
    private readonly IDataStore dataStore;
    private readonly AdminAuthorizer authorizer;
    private readonly ServerConfig config;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AgentAdminService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="dataStore">The datastore.</param>
    /// <param name="authorizer">Admits local callers and admin SVIDs.</param>
    /// <param name="config">The server configuration (for the trust domain).</param>
    /// <param name="timeProvider">The clock for join token expiry.</param>
    /// <param name="logger">The logger.</param>
    public AgentAdminService(IDataStore dataStore, AdminAuthorizer authorizer, ServerConfig config, TimeProvider timeProvider, ILogger<AgentAdminService> logger)
    {
        ArgumentNullException.ThrowIfNull(dataStore);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.dataStore = dataStore;
        this.authorizer = authorizer;
        this.config = config;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <inheritdoc/>
    public override async Task<AgentApi.CountAgentsResponse> CountAgents(AgentApi.CountAgentsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var f = request.Filter;
        var filter = f is null
            ? AgentFilter.All
            : FilterConverter.ToAgentFilter(f.ByAttestationType, f.BySelectorMatch, f.ByBanned, f.ByCanReattest, f.ByExpiresBefore);
        return new AgentApi.CountAgentsResponse { Count = await this.dataStore.CountAttestedAgentsAsync(filter, context.CancellationToken) };
    }

    /// <inheritdoc/>
    public override async Task<AgentApi.ListAgentsResponse> ListAgents(AgentApi.ListAgentsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var f = request.Filter;
        var filter = f is null
            ? AgentFilter.All
            : FilterConverter.ToAgentFilter(f.ByAttestationType, f.BySelectorMatch, f.ByBanned, f.ByCanReattest, f.ByExpiresBefore);
        Page<AttestedAgent> page;
        try
        {
            page = await this.dataStore.ListAttestedAgentsAsync(filter, request.PageSize, request.PageToken.Length == 0 ? null : request.PageToken, context.CancellationToken);
        }
        catch (DataStoreException ex)
        {
            throw AdminStatus.Error(ex, "failed to list agents", "agent not found");
        }

        var response = new AgentApi.ListAgentsResponse { NextPageToken = page.NextPageToken };
        response.Agents.AddRange(page.Items.Select(a => AgentConverter.ToProto(a, request.OutputMask)));
        return response;
    }

    /// <inheritdoc/>
    public override async Task<Types.Agent> GetAgent(AgentApi.GetAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var agent = await this.dataStore.GetAttestedAgentAsync(this.AgentId(request.Id), context.CancellationToken)
            ?? throw AdminStatus.Error(StatusCode.NotFound, "agent not found");
        return AgentConverter.ToProto(agent, request.OutputMask);
    }

    /// <inheritdoc/>
    public override async Task<Empty> DeleteAgent(AgentApi.DeleteAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var id = this.AgentId(request.Id);
        if (await this.dataStore.DeleteAttestedAgentAsync(id, context.CancellationToken) is null)
        {
            throw AdminStatus.Error(StatusCode.NotFound, "agent not found");
        }

        this.logger.AgentEvicted(id);
        return new Empty();
    }

    /// <inheritdoc/>
    public override async Task<Empty> BanAgent(AgentApi.BanAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        var id = this.AgentId(request.Id);
        var agent = await this.dataStore.GetAttestedAgentAsync(id, context.CancellationToken)
            ?? throw AdminStatus.Error(StatusCode.NotFound, "agent not found");
        try
        {
            await this.dataStore.UpdateAttestedAgentAsync(
                agent with { Banned = true, SerialNumber = string.Empty, NewSerialNumber = string.Empty, NewExpiresAt = 0 },
                context.CancellationToken);
        }
        catch (DataStoreException ex)
        {
            throw AdminStatus.Error(ex, "failed to ban agent", "agent not found");
        }

        this.logger.AgentBanned(id);
        return new Empty();
    }

    /// <inheritdoc/>
    public override async Task<Types.JoinToken> CreateJoinToken(AgentApi.CreateJoinTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        await this.authorizer.AuthorizeAsync(context);
        if (request.Ttl < 1)
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, "ttl is required, you must provide one");
        }

        SpiffeId? aliasId = null;
        if (request.AgentId is not null)
        {
            try
            {
                aliasId = IdConverter.WorkloadFromProto(request.AgentId, this.config.TrustDomain);
            }
            catch (AdminValidationException ex)
            {
                throw AdminStatus.Invalid(ex, "invalid agent ID");
            }
        }

        var value = request.Token.Length > 0 ? request.Token : Guid.NewGuid().ToString();
        SpiffeId tokenAgentId;
        try
        {
            tokenAgentId = SpiffeId.FromSegments(this.config.TrustDomain, "spire", "agent", "join_token", value);
        }
        catch (SpiffeIdException ex)
        {
            throw AdminStatus.Error(StatusCode.InvalidArgument, "invalid token: it must be usable as a SPIFFE ID path segment: " + ex.Message);
        }

        var expiresAt = this.timeProvider.GetUtcNow().ToUnixTimeSeconds() + request.Ttl;
        try
        {
            await this.dataStore.CreateJoinTokenAsync(new JoinToken(value, expiresAt, aliasId), context.CancellationToken);
            if (aliasId is { } alias)
            {
                await this.dataStore.CreateOrReturnEntryAsync(
                    new RegistrationEntry { SpiffeId = alias, ParentId = tokenAgentId, Selectors = [new Selector("spiffe_id", tokenAgentId.ToString())] },
                    context.CancellationToken);
            }
        }
        catch (DataStoreException ex)
        {
            throw AdminStatus.Error(ex, "failed to create token", "token not found");
        }

        if (aliasId is { } aliased)
        {
            this.logger.JoinTokenCreatedWithAlias(expiresAt, aliased);
        }
        else
        {
            this.logger.JoinTokenCreated(expiresAt);
        }
        return new Types.JoinToken { Value = value, ExpiresAt = expiresAt };
    }

    private SpiffeId AgentId(Types.SPIFFEID? id)
    {
        try
        {
            return IdConverter.AgentFromProto(id, this.config.TrustDomain);
        }
        catch (AdminValidationException ex)
        {
            throw AdminStatus.Invalid(ex, "invalid agent ID");
        }
    }
}
