using Grpc.Core;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Server.Api;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// The configured task grants (<c>server.task_grants</c>) and how a granted caller is tied to one agent: the serial of
/// the admin SVID it presents names the admin entry it was signed for (recorded by the SVID service), and that entry's
/// parent is the agent the caller may create entries for.
/// </summary>
internal sealed class TaskGrants
{
    private readonly ServerConfig config;
    private readonly IAdminSvidStore adminSvids;
    private readonly IDataStore dataStore;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<TaskGrants> logger;

    /// <summary>Creates the grants.</summary>
    /// <param name="config">The server configuration (its <c>TaskGrants</c>).</param>
    /// <param name="adminSvids">Which admin entry each admin SVID was signed for.</param>
    /// <param name="dataStore">The datastore.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public TaskGrants(ServerConfig config, IAdminSvidStore adminSvids, IDataStore dataStore, TimeProvider timeProvider, ILogger<TaskGrants> logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(adminSvids);
        ArgumentNullException.ThrowIfNull(dataStore);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.config = config;
        this.adminSvids = adminSvids;
        this.dataStore = dataStore;
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    /// <summary>The grant narrowing this admin SPIFFE ID, or null when it has full admin rights.</summary>
    /// <param name="adminId">The caller's SPIFFE ID.</param>
    /// <returns>The grant, if any.</returns>
    public TaskGrant? Find(SpiffeId adminId) => this.config.TaskGrants.FirstOrDefault(g => g.AdminId == adminId);

    /// <summary>Ties the caller of a granted admin call to its admin entry and returns the scope its entry changes must stay in.</summary>
    /// <param name="context">The call (its client certificate is the admin SVID).</param>
    /// <param name="grant">The caller's grant.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="RpcException"><c>PermissionDenied</c>: the SVID was not signed for a current admin entry of the granted ID.</exception>
    public async Task<TaskGrantScope> ScopeAsync(ServerCallContext context, TaskGrant grant)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(grant);
        var certificate = context.GetHttpContext().Connection.ClientCertificate
            ?? throw this.Denied(context, grant.AdminId, "no admin SVID was presented");
        var entryId = await this.adminSvids.GetAdminSvidEntryAsync(SerialNumbers.ToDecimal(certificate), context.CancellationToken);
        var entry = entryId is null ? null : await this.dataStore.GetEntryAsync(entryId, context.CancellationToken);
        if (entry is null || !entry.Admin || entry.SpiffeId != grant.AdminId)
        {
            throw this.Denied(context, grant.AdminId, "the presented admin SVID was not signed for a current admin entry of this ID (fetch a new one)");
        }

        return new TaskGrantScope(grant, entry.ParentId, this.config, this.timeProvider.GetUtcNow(), reason => this.Log(context, grant.AdminId, reason));
    }

    /// <summary>The <c>PermissionDenied</c> error for a granted caller (logged).</summary>
    /// <param name="context">The call.</param>
    /// <param name="adminId">The caller's SPIFFE ID.</param>
    /// <param name="reason">The rule it broke.</param>
    /// <returns>The exception to throw.</returns>
    public RpcException Denied(ServerCallContext context, SpiffeId adminId, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.Log(context, adminId, reason);
        return AdminStatus.Error(StatusCode.PermissionDenied, TaskGrantScope.Message(adminId, reason));
    }

    private void Log(ServerCallContext context, SpiffeId adminId, string reason) =>
        TaskIdentityLog.TaskGrantDenied(this.logger, context.Method, adminId, reason);
}
