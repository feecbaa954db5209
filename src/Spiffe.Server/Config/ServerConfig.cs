using Microsoft.Extensions.Logging;
using Spiffe.Core;

namespace Spiffe.Server.Config;

/// <summary>
/// The validated server configuration (SPIRE's <c>server.conf</c>), produced by <see cref="ServerConfigLoader"/> or
/// built directly in tests. Relative paths are kept as written and resolved against the working directory at start.
/// </summary>
internal sealed record ServerConfig
{
    /// <summary>The trust domain (<c>server.trust_domain</c>, required).</summary>
    public required TrustDomain TrustDomain { get; init; }

    /// <summary>Address of the agent-facing TLS listener (<c>bind_address</c>, default <c>0.0.0.0</c>).</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>Port of the agent-facing TLS listener (<c>bind_port</c>, default 8081; 0 = pick a free port).</summary>
    public int BindPort { get; init; } = 8081;

    /// <summary>The admin API Unix socket (<c>socket_path</c>, default <c>/tmp/spiffe-server/private/api.sock</c>).</summary>
    public string SocketPath { get; init; } = "/tmp/spiffe-server/private/api.sock";

    /// <summary>Directory for server state (<c>data_dir</c>, default <c>.</c>).</summary>
    public string DataDir { get; init; } = ".";

    /// <summary>Minimum log level (<c>log_level</c>: DEBUG, INFO, WARN, ERROR; default INFO).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Log format (<c>log_format</c>: text or json).</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>Optional log file (<c>log_file</c>); null = stderr.</summary>
    public string? LogFile { get; init; }

    /// <summary>CA and JWT key type (<c>ca_key_type</c>, default ec-p256).</summary>
    public KeyType CaKeyType { get; init; } = KeyType.EcP256;

    /// <summary>JWT signing key type (<c>jwt_key_type</c>, default = <see cref="CaKeyType"/>).</summary>
    public KeyType? JwtKeyType { get; init; }

    /// <summary>Lifetime of each X.509 CA and JWT key (<c>ca_ttl</c>, default 24h).</summary>
    public TimeSpan CaTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Default X509-SVID TTL (<c>default_x509_svid_ttl</c>, default 1h).</summary>
    public TimeSpan DefaultX509SvidTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Default JWT-SVID TTL (<c>default_jwt_svid_ttl</c>, default 5m).</summary>
    public TimeSpan DefaultJwtSvidTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>WIT-SVID TTL for entries without a <c>jwt_svid_ttl</c> (<c>default_wit_svid_ttl</c>, default 5m).</summary>
    public TimeSpan DefaultWitSvidTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Agent X509-SVID TTL (<c>agent_ttl</c>; null = <see cref="DefaultX509SvidTtl"/>).</summary>
    public TimeSpan? AgentTtl { get; init; }

    /// <summary>Optional <c>iss</c> claim for JWT-SVIDs (<c>jwt_issuer</c>).</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>The CA subject (<c>ca_subject</c>).</summary>
    public CaSubject CaSubject { get; init; } = new();

    /// <summary>Experimental feature flags (<c>experimental.feature_flags</c>), e.g. <c>wit-svid</c>.</summary>
    public IReadOnlyList<string> FeatureFlags { get; init; } = [];

    /// <summary>Narrow admin grants (<c>task_grants</c>), at most one per admin SPIFFE ID.</summary>
    public IReadOnlyList<TaskGrant> TaskGrants { get; init; } = [];

    /// <summary>The SQLite datastore.</summary>
    public required DataStoreConfig DataStore { get; init; }

    /// <summary>The key manager.</summary>
    public KeyManagerConfig KeyManager { get; init; } = new(KeyManagerKind.Memory, null);

    /// <summary>Whether <c>NodeAttestor "join_token"</c> is configured.</summary>
    public bool JoinTokenAttestor { get; init; }

    /// <summary><c>NodeAttestor "x509pop"</c>, or null.</summary>
    public X509PopConfig? X509Pop { get; init; }

    /// <summary><c>UpstreamAuthority "disk"</c>, or null (self-signed root).</summary>
    public UpstreamAuthorityConfig? UpstreamAuthority { get; init; }

    /// <summary>The <c>health_checks</c> block.</summary>
    public HealthChecksConfig HealthChecks { get; init; } = new();

    /// <summary>Largest gRPC message the server accepts, in bytes (not in SPIRE's file; default 4 MiB).</summary>
    public int MaxReceiveMessageSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>The resolved agent SVID TTL.</summary>
    public TimeSpan EffectiveAgentTtl => AgentTtl ?? DefaultX509SvidTtl;

    /// <summary>The resolved JWT key type.</summary>
    public KeyType EffectiveJwtKeyType => JwtKeyType ?? CaKeyType;
}
