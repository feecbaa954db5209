using Grpc.Core;
using Spiffe.Core;
using Spiffe.Server.Api;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Who may call the admin RPCs, as SPIRE's policy says: a <b>local</b> caller (the admin Unix socket), or, over TLS,
/// an <b>admin</b> — a caller presenting a valid X509-SVID of this trust domain whose SPIFFE ID belongs to an entry
/// marked <c>admin</c>. Agents and other workloads are refused with <c>PermissionDenied</c>. An admin whose SPIFFE ID
/// has a task grant (<see cref="TaskGrants"/>) may only create, update and delete entries within its
/// <see cref="TaskGrantScope"/>; every other admin RPC refuses it.
/// </summary>
internal sealed class AdminAuthorizer
{
    private const string AgentPathPrefix = "/spire/agent/";

    private readonly CallerAuthorizer callers;
    private readonly TaskGrants grants;

    /// <summary>Creates the authorizer.</summary>
    /// <param name="callers">Classifies TLS callers (agent, admin) from their SVID.</param>
    /// <param name="grants">The task grants that narrow some admin identities.</param>
    public AdminAuthorizer(CallerAuthorizer callers, TaskGrants grants)
    {
        ArgumentNullException.ThrowIfNull(callers);
        ArgumentNullException.ThrowIfNull(grants);
        this.callers = callers;
        this.grants = grants;
    }

    /// <summary>Lets the call through or throws.</summary>
    /// <param name="context">The call.</param>
    /// <returns>A task that completes when the caller is authorized.</returns>
    /// <exception cref="RpcException"><c>PermissionDenied</c>: the caller is neither local nor an admin, or holds a task grant.</exception>
    public async Task AuthorizeAsync(ServerCallContext context)
    {
        var caller = await this.AuthorizeAdminAsync(context);
        if (!caller.IsZero && this.grants.Find(caller) is not null)
        {
            throw this.grants.Denied(context, caller, "only entry create, update and delete are granted");
        }
    }

    /// <summary>Authorizes an entry create, update or delete call.</summary>
    /// <param name="context">The call.</param>
    /// <returns>Null for a local caller or an admin with full rights; the scope every change must stay in for a granted admin.</returns>
    /// <exception cref="RpcException"><c>PermissionDenied</c>: the caller is neither local nor an admin, or a granted
    /// admin whose SVID is not tied to a current admin entry.</exception>
    public async Task<TaskGrantScope?> AuthorizeEntryChangeAsync(ServerCallContext context)
    {
        var caller = await this.AuthorizeAdminAsync(context);
        return !caller.IsZero && this.grants.Find(caller) is { } grant ? await this.grants.ScopeAsync(context, grant) : null;
    }

    private async Task<SpiffeId> AuthorizeAdminAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallerAuthorizer.IsLocal(context))
        {
            return default;
        }

        var caller = await this.callers.AuthorizeAgentOrAdminAsync(context);
        if (caller.IsZero || caller.Path.StartsWith(AgentPathPrefix, StringComparison.Ordinal))
        {
            throw AdminStatus.Error(StatusCode.PermissionDenied, "caller is not an admin");
        }

        return caller;
    }
}
