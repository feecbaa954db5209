namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>Settings of the admin socket (the <c>Tasks</c> service).</summary>
internal sealed class AdminEndpointOptions
{
    /// <summary>The default admin socket (<c>admin_socket_path</c>).</summary>
    public const string DefaultSocketPath = "/tmp/spiffe-agent/private/admin.sock";

    /// <summary>The admin socket; its directory is made 0700 (0750 when non-root users are allowed).</summary>
    public string SocketPath { get; set; } = DefaultSocketPath;

    /// <summary>The users (peer-credential UIDs) allowed to call (<c>allowed_uids</c>, root by default).</summary>
    public IReadOnlyList<uint> AllowedUids { get; set; } = [0];
}
