using Spiffe.Core;

namespace Spiffe.Agent.Core;

/// <summary>
/// The agent back end's configuration, bound by the composition root from <c>agent.conf</c> (key names in the
/// remarks of each property follow SPIRE's <c>agent { }</c> block) and command-line overrides. Call
/// <see cref="Validate"/> before <see cref="AgentCoreServiceCollectionExtensions.AddAgentCore"/>.
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>The default <see cref="SyncInterval"/>.</summary>
    public static readonly TimeSpan DefaultSyncInterval = TimeSpan.FromSeconds(5);

    /// <summary>The default for both SVID cache sizes.</summary>
    public const int DefaultSvidCacheMaxSize = 1000;

    /// <summary>The agent's own trust domain (<c>trust_domain</c>, required).</summary>
    public TrustDomain TrustDomain { get; set; }

    /// <summary>DNS name or IP address of the SPIRE-compatible server (<c>server_address</c>, required).</summary>
    public string ServerAddress { get; set; } = string.Empty;

    /// <summary>TCP port of the server (<c>server_port</c>, required; SPIRE's server listens on 8081 by default).</summary>
    public int ServerPort { get; set; }

    /// <summary>
    /// PEM file with the own trust domain's X.509 roots, used to authenticate the server at first start
    /// (<c>trust_bundle_path</c>). Ignored once a bundle is stored in <c>agent-data.json</c>. Exactly one of this and
    /// <see cref="InsecureBootstrap"/> must be set.
    /// </summary>
    public string? TrustBundlePath { get; set; }

    /// <summary>
    /// Attest without verifying the server's chain at first start (<c>insecure_bootstrap</c>); the server must still
    /// present the SPIFFE ID <c>spiffe://&lt;td&gt;/spire/server</c>. For demos only.
    /// </summary>
    public bool InsecureBootstrap { get; set; }

    /// <summary>
    /// Directory for <c>agent-data.json</c> and, with <see cref="AgentKeyManagerKind.Disk"/>, <c>keys.json</c>
    /// (<c>data_dir</c>, default <c>.</c>). Created with mode 0700 if missing.
    /// </summary>
    public string DataDirectory { get; set; } = ".";

    /// <summary>
    /// One-time join token for <c>join_token</c> node attestation (<c>join_token</c> / <c>join_token_file</c>).
    /// Takes precedence over x509pop. Only used when the agent has no usable stored SVID; never logged.
    /// </summary>
    public string? JoinToken { get; set; }

    /// <summary>
    /// PEM file with the x509pop certificate chain, leaf first (<c>NodeAttestor "x509pop"</c> <c>certificate_path</c>).
    /// Used when <see cref="JoinToken"/> is not set.
    /// </summary>
    public string? X509PopCertificatePath { get; set; }

    /// <summary>PEM file with the x509pop leaf's private key, PKCS#8, PKCS#1 or SEC1 (<c>private_key_path</c>).</summary>
    public string? X509PopPrivateKeyPath { get; set; }

    /// <summary>
    /// Optional PEM file with intermediates sent after the leaf (<c>intermediates_path</c>); may be left unset when
    /// <see cref="X509PopCertificatePath"/> already holds the whole chain.
    /// </summary>
    public string? X509PopIntermediatesPath { get; set; }

    /// <summary>Where the agent SVID's private key lives (<c>KeyManager "disk"|"memory"</c>, default disk).</summary>
    public AgentKeyManagerKind KeyManager { get; set; } = AgentKeyManagerKind.Disk;

    /// <summary>
    /// How often entries and bundles are synchronised with the server (<c>experimental.sync_interval</c>, default 5 s).
    /// </summary>
    public TimeSpan SyncInterval { get; set; } = DefaultSyncInterval;

    /// <summary>
    /// Soft limit on cached workload X509-SVIDs (<c>x509_svid_cache_max_size</c>, default 1000): SVIDs of entries with
    /// subscribers are never evicted; beyond the limit, least recently used others are dropped and not prefetched.
    /// </summary>
    public int X509SvidCacheMaxSize { get; set; } = DefaultSvidCacheMaxSize;

    /// <summary>Hard limit on cached JWT-SVIDs (<c>jwt_svid_cache_max_size</c>, default 1000), LRU.</summary>
    public int JwtSvidCacheMaxSize { get; set; } = DefaultSvidCacheMaxSize;

    /// <summary>Key type for workload X509-SVIDs (<c>workload_x509_svid_key_type</c>, default <c>ec-p256</c>).</summary>
    public WorkloadKeyType WorkloadX509SvidKeyType { get; set; } = WorkloadKeyType.EcP256;

    /// <summary>
    /// Serve <c>FetchX509Bundles</c>/<c>FetchJWTBundles</c> (own trust domain only) to callers without an identity
    /// (<c>allow_unauthenticated_verifiers</c>). Read by the Workload API endpoint; the back end does not use it.
    /// </summary>
    public bool AllowUnauthenticatedVerifiers { get; set; }

    /// <summary>
    /// Use the paged, revision-diffing <c>SyncAuthorizedEntries</c> stream (default) rather than
    /// <c>GetAuthorizedEntries</c> (<c>experimental.use_sync_authorized_entries</c>).
    /// </summary>
    public bool UseSyncAuthorizedEntries { get; set; } = true;

    /// <summary>The version string sent once to the server in <c>PostStatus</c> (at most 255 characters).</summary>
    public string AgentVersion { get; set; } = string.Empty;

    /// <summary>
    /// Checks the options and returns every problem found (empty when valid). Messages name the configuration key.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TrustDomain.IsZero)
        {
            errors.Add("trust_domain must be configured");
        }

        if (string.IsNullOrWhiteSpace(ServerAddress))
        {
            errors.Add("server_address must be configured");
        }

        if (ServerPort is <= 0 or > 65535)
        {
            errors.Add("server_port must be between 1 and 65535");
        }

        var hasBundlePath = !string.IsNullOrEmpty(TrustBundlePath);
        if (hasBundlePath == InsecureBootstrap)
        {
            errors.Add(InsecureBootstrap
                ? "trust_bundle_path and insecure_bootstrap are mutually exclusive"
                : "trust_bundle_path or insecure_bootstrap must be configured");
        }

        if (string.IsNullOrEmpty(DataDirectory))
        {
            errors.Add("data_dir must not be empty");
        }

        if (string.IsNullOrEmpty(X509PopCertificatePath) != string.IsNullOrEmpty(X509PopPrivateKeyPath))
        {
            errors.Add("x509pop certificate_path and private_key_path must be configured together");
        }

        if (SyncInterval <= TimeSpan.Zero)
        {
            errors.Add("sync_interval must be positive");
        }

        if (X509SvidCacheMaxSize < 0)
        {
            errors.Add("x509_svid_cache_max_size must not be negative");
        }

        if (JwtSvidCacheMaxSize < 0)
        {
            errors.Add("jwt_svid_cache_max_size must not be negative");
        }

        if (AgentVersion.Length > 255)
        {
            errors.Add("agent version must be at most 255 characters");
        }

        return errors;
    }
}
