using Grpc.Core;
using Spiffe.Server.Api;

namespace Spiffe.Server.AdminApi;

/// <summary>
/// Who may call the admin RPCs, as SPIRE's policy says: a <b>local</b> caller (the admin Unix socket), or, over TLS,
/// an <b>admin</b> — a caller presenting a valid X509-SVID of this trust domain whose SPIFFE ID belongs to an entry
/// marked <c>admin</c>. Agents and other workloads are refused with <c>PermissionDenied</c>.
/// </summary>
internal sealed class AdminAuthorizer
{
    private const string AgentPathPrefix = "/spire/agent/";

    private readonly CallerAuthorizer callers;

    /// <summary>Creates the authorizer.</summary>
    /// <param name="callers">Classifies TLS callers (agent, admin) from their SVID.</param>
    public AdminAuthorizer(CallerAuthorizer callers)
    {
        ArgumentNullException.ThrowIfNull(callers);
        this.callers = callers;
    }

    /// <summary>Lets the call through or throws.</summary>
    /// <param name="context">The call.</param>
    /// <returns>A task that completes when the caller is authorized.</returns>
    /// <exception cref="RpcException"><c>PermissionDenied</c>: the caller is neither local nor an admin.</exception>
    public async Task AuthorizeAsync(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (CallerAuthorizer.IsLocal(context))
        {
            return;
        }

        var caller = await this.callers.AuthorizeAgentOrAdminAsync(context);
        if (caller.IsZero || caller.Path.StartsWith(AgentPathPrefix, StringComparison.Ordinal))
        {
            throw AdminStatus.Error(StatusCode.PermissionDenied, "caller is not an admin");
        }
    }
}
