namespace Spiffe.Server.Hosting;

/// <summary>The server's listeners.</summary>
internal enum ListenerKind
{
    /// <summary>The agent-facing API: TCP with TLS.</summary>
    AgentApi,

    /// <summary>The admin API: the Unix socket (h2c).</summary>
    AdminApi,

    /// <summary>The HTTP health listener (<c>health_checks</c>).</summary>
    Health,
}
