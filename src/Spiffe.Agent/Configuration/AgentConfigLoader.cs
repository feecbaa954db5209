using System.Globalization;
using Spiffe.Agent.Attestation.Attestors.Unix;
using Spiffe.Agent.Core;
using Spiffe.Agent.Endpoints;
using Spiffe.Configuration;
using Spiffe.Core;

namespace Spiffe.Agent.Configuration;

/// <summary>
/// Reads a SPIRE <c>agent.conf</c> (HCL or JSON) into an <see cref="AgentConfiguration"/>, applying command-line
/// overrides, with SPIRE's validation rules. Every problem is collected and reported at once with its file and line:
/// an unknown key, a SPIRE key or plugin <c>spiffe-agent</c> does not support (named as such), a missing required
/// key, a bad value, and mutually exclusive settings.
/// </summary>
internal static class AgentConfigLoader
{
    /// <summary>The default <c>-config</c> path (SPIRE's).</summary>
    public const string DefaultConfigPath = "conf/agent/agent.conf";

    private static readonly ConfigLocation CommandLine = new("<command line>", 0, 0);

    private static readonly string[] TopLevelKeys = ["agent", "plugins", "telemetry", "health_checks", "tasks"];

    private static readonly string[] AgentKeys =
    [
        "trust_domain", "server_address", "server_port", "trust_bundle_path", "insecure_bootstrap", "data_dir",
        "socket_path", "admin_socket_path", "join_token", "join_token_file", "log_level", "log_format",
        "allow_unauthenticated_verifiers", "allowed_foreign_jwt_claims", "x509_svid_cache_max_size",
        "jwt_svid_cache_max_size", "workload_x509_svid_key_type", "experimental", "disable_sds_api",
    ];

    private static readonly string[] UnsupportedAgentKeys =
    [
        "trust_bundle_url", "trust_bundle_format", "trust_bundle_unix_socket", "trust_bundle_spiffe_workload_api",
        "authorized_delegates", "availability_target", "rebootstrap_mode", "rebootstrap_delay", "retry_bootstrap",
        "disable_workload_api", "log_file", "log_source_location", "log_selectors", "profiling_enabled",
        "profiling_port", "profiling_freq", "profiling_names", "sds", "sync_interval", "x509_svid_cache_max_size_v2",
    ];

    private static readonly string[] ExperimentalKeys = ["sync_interval", "use_sync_authorized_entries"];

    private static readonly string[] UnsupportedExperimentalKeys =
    [
        "jwt_svid_cache_hit_timeout", "named_pipe_name", "ratelimit", "broker", "require_pq_kem",
        "x509_svid_cache_max_size", "disable_lru_cache", "flags",
    ];

    private static readonly string[] PluginBlockKeys = ["plugin_data", "enabled"];
    private static readonly string[] UnsupportedPluginBlockKeys = ["plugin_cmd", "plugin_checksum", "plugin_data_file"];
    private static readonly string[] PluginTypes = ["NodeAttestor", "KeyManager", "WorkloadAttestor"];
    private static readonly string[] HealthCheckKeys = ["listener_enabled", "bind_address", "bind_port", "live_path", "ready_path"];
    private static readonly string[] UnsupportedSinks = ["Statsd", "DogStatsd", "M3", "InMem"];

    private static readonly string[] UnsupportedTelemetryKeys =
    [
        "MetricPrefix", "EnableTrustDomainLabel", "EnableHostnameLabel", "AllowedPrefixes", "BlockedPrefixes",
        "AllowedLabels", "BlockedLabels", "DisableHostname", "EnableAgentHostnameLabel",
    ];

    /// <summary>Loads and validates <paramref name="path"/>, then applies <paramref name="overrides"/>.</summary>
    /// <exception cref="ConfigException">The file has syntax errors or the configuration is invalid; each error names the key and line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static AgentConfiguration Load(string path, bool expandEnv, AgentConfigOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(overrides);
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(ConfigFile.Load(path, expandEnv), errors);
        root.ReportUnknownKeys(TopLevelKeys);
        var agent = root.GetSection("agent", required: true);
        var plugins = root.GetSection("plugins", required: true);
        var configuration = Bind(agent, plugins, root, overrides, errors);
        errors.ThrowIfAny();
        return configuration!;
    }

    private static AgentConfiguration? Bind(ConfigSection? agent, ConfigSection? plugins, ConfigSection root, AgentConfigOverrides overrides, ConfigErrors errors)
    {
        var options = new AgentOptions();
        var endpoint = new WorkloadEndpointOptions();
        var logLevel = AgentLogLevel.Info;
        var logFormat = AgentLogFormat.Text;
        string? adminSocketPath = null;
        if (agent is not null)
        {
            ReportKeys(agent, AgentKeys, UnsupportedAgentKeys);
            BindAgent(agent, options, endpoint, overrides, errors, ref logLevel, ref logFormat, out adminSocketPath);
        }

        var nodeAndKeys = plugins is null ? null : BindPlugins(plugins, options, errors);
        var healthChecks = root.GetSection("health_checks") is { } health ? BindHealthChecks(health) : new HealthCheckSettings();
        var prometheus = root.GetSection("telemetry") is { } telemetry ? BindTelemetry(telemetry) : null;
        var tasks = root.GetSection("tasks") is { } tasksBlock ? TaskConfigBinder.Bind(tasksBlock, options, adminSocketPath) : null;

        if (agent is not null)
        {
            foreach (var problem in options.Validate())
            {
                // AgentOptions names the key first; a key already reported (e.g. a malformed value) is not reported again.
                var key = problem.Split(' ', 2)[0];
                if (!errors.Items.Any(e => e.Message.Contains($"\"{key}\"", StringComparison.Ordinal)))
                {
                    agent.ReportError(problem, agent.Contains(key) ? key : null);
                }
            }

            CheckAdminSocket(agent, endpoint.SocketPath, tasks is { Enabled: true } ? tasks.Admin.SocketPath : adminSocketPath);
        }

        if (errors.Items.Count > 0 || nodeAndKeys is null)
        {
            return null;
        }

        return new AgentConfiguration
        {
            Agent = options,
            Endpoint = endpoint,
            AdminSocketPath = adminSocketPath,
            LogLevel = logLevel,
            LogFormat = logFormat,
            WorkloadAttestors = nodeAndKeys.Value.Attestors,
            UnixAttestor = nodeAndKeys.Value.Unix,
            HealthChecks = healthChecks,
            Prometheus = prometheus,
            Tasks = tasks,
        };
    }

    private static void BindAgent(
        ConfigSection agent,
        AgentOptions options,
        WorkloadEndpointOptions endpoint,
        AgentConfigOverrides overrides,
        ConfigErrors errors,
        ref AgentLogLevel logLevel,
        ref AgentLogFormat logFormat,
        out string? adminSocketPath)
    {
        var trustDomain = overrides.TrustDomain ?? agent.GetString("trust_domain");
        if (trustDomain is null)
        {
            // Reported by AgentOptions.Validate.
        }
        else if (TrustDomain.TryParse(trustDomain, out var td))
        {
            options.TrustDomain = td;
            endpoint.TrustDomain = td;
        }
        else
        {
            Report(agent, errors, overrides.TrustDomain is not null, "trust_domain", $"\"trust_domain\" is not a valid trust domain: \"{trustDomain}\"");
        }

        options.ServerAddress = overrides.ServerAddress ?? agent.GetString("server_address") ?? string.Empty;
        if (overrides.ServerPort is < 1 or > 65535)
        {
            errors.Add(CommandLine, "\"server_port\" must be between 1 and 65535 (from the command line)");
        }

        options.ServerPort = overrides.ServerPort ?? agent.GetInt("server_port", 1, 65535) ?? 0;
        var bundleFromFlag = overrides.TrustBundlePath is not null;
        options.TrustBundlePath = overrides.TrustBundlePath ?? agent.GetString("trust_bundle_path");
        options.InsecureBootstrap = overrides.InsecureBootstrap ?? agent.GetBool("insecure_bootstrap") ?? false;
        if (bundleFromFlag && overrides.InsecureBootstrap is null)
        {
            // -trustBundle replaces the file's bootstrap choice.
            options.InsecureBootstrap = false;
        }

        options.DataDirectory = overrides.DataDirectory ?? agent.GetString("data_dir") ?? ".";
        endpoint.SocketPath = overrides.SocketPath ?? agent.GetString("socket_path") ?? WorkloadEndpointOptions.DefaultSocketPath;
        if (endpoint.SocketPath.Length == 0)
        {
            Report(agent, errors, overrides.SocketPath is not null, "socket_path", "\"socket_path\" must not be empty");
        }

        adminSocketPath = agent.GetString("admin_socket_path");
        options.JoinToken = ReadJoinToken(agent, overrides, errors);
        endpoint.AllowUnauthenticatedVerifiers = overrides.AllowUnauthenticatedVerifiers ?? agent.GetBool("allow_unauthenticated_verifiers") ?? false;
        options.AllowUnauthenticatedVerifiers = endpoint.AllowUnauthenticatedVerifiers;
        endpoint.AllowedForeignJwtClaims = agent.GetStringList("allowed_foreign_jwt_claims") ?? [];
        options.X509SvidCacheMaxSize = agent.GetInt("x509_svid_cache_max_size", min: 0) ?? AgentOptions.DefaultSvidCacheMaxSize;
        options.JwtSvidCacheMaxSize = agent.GetInt("jwt_svid_cache_max_size", min: 0) ?? AgentOptions.DefaultSvidCacheMaxSize;
        _ = agent.GetBool("disable_sds_api");

        if (agent.GetString("workload_x509_svid_key_type") is { } keyType)
        {
            if (ParseKeyType(keyType) is { } parsed)
            {
                options.WorkloadX509SvidKeyType = parsed;
            }
            else
            {
                agent.ReportError($"\"workload_x509_svid_key_type\" must be one of ec-p256, ec-p384, rsa-2048, not \"{keyType}\"", "workload_x509_svid_key_type");
            }
        }

        var level = overrides.LogLevel ?? agent.GetString("log_level");
        if (level is not null)
        {
            if (ParseLogLevel(level) is { } parsedLevel)
            {
                logLevel = parsedLevel;
            }
            else
            {
                Report(agent, errors, overrides.LogLevel is not null, "log_level", $"\"log_level\" must be one of DEBUG, INFO, WARN, ERROR, not \"{level}\"");
            }
        }

        var format = overrides.LogFormat ?? agent.GetString("log_format");
        if (format is not null)
        {
            if (string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
            {
                logFormat = AgentLogFormat.Text;
            }
            else if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            {
                logFormat = AgentLogFormat.Json;
            }
            else
            {
                Report(agent, errors, overrides.LogFormat is not null, "log_format", $"\"log_format\" must be text or json, not \"{format}\"");
            }
        }

        if (agent.GetSection("experimental") is { } experimental)
        {
            ReportKeys(experimental, ExperimentalKeys, UnsupportedExperimentalKeys);
            if (experimental.GetDuration("sync_interval") is { } interval)
            {
                if (interval <= TimeSpan.Zero)
                {
                    experimental.ReportError("\"sync_interval\" must be positive", "sync_interval");
                }
                else
                {
                    options.SyncInterval = interval;
                }
            }

            options.UseSyncAuthorizedEntries = experimental.GetBool("use_sync_authorized_entries") ?? true;
        }
    }

    private static string? ReadJoinToken(ConfigSection agent, AgentConfigOverrides overrides, ConfigErrors errors)
    {
        if (overrides.JoinToken is { Length: > 0 } token)
        {
            return token;
        }

        if (overrides.JoinTokenFile is { } tokenFile)
        {
            return ReadTokenFile(tokenFile, error => errors.Add(CommandLine, "-joinTokenFile: " + error));
        }

        var inline = agent.GetString("join_token");
        var file = agent.GetString("join_token_file");
        if (inline is not null && file is not null)
        {
            agent.ReportError("\"join_token\" and \"join_token_file\" are mutually exclusive", "join_token_file");
            return null;
        }

        return file is null
            ? (string.IsNullOrEmpty(inline) ? null : inline)
            : ReadTokenFile(file, error => agent.ReportError("\"join_token_file\": " + error, "join_token_file"));
    }

    private static string? ReadTokenFile(string path, Action<string> report)
    {
        try
        {
            var token = File.ReadAllText(path).Trim();
            if (token.Length == 0)
            {
                report($"{path} is empty");
                return null;
            }

            return token;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            report($"cannot read {path}: {ex.Message}");
            return null;
        }
    }

    private static (IReadOnlyList<WorkloadAttestorKind> Attestors, UnixAttestorOptions Unix)? BindPlugins(ConfigSection plugins, AgentOptions options, ConfigErrors errors)
    {
        foreach (var type in plugins.Value.Entries.Select(e => e.Key).Distinct(StringComparer.Ordinal))
        {
            if (!PluginTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                plugins.ReportError($"plugin type \"{type}\" is not supported by spiffe-agent (supported: NodeAttestor, KeyManager, WorkloadAttestor)", type);
            }
        }

        var nodeAttestors = EnabledBlocks(plugins, "NodeAttestor");
        if (nodeAttestors.Count != 1)
        {
            plugins.ReportError($"exactly one NodeAttestor plugin must be configured; found {nodeAttestors.Count}");
        }

        foreach (var block in nodeAttestors)
        {
            BindNodeAttestor(block, options);
        }

        var keyManagers = EnabledBlocks(plugins, "KeyManager");
        if (keyManagers.Count != 1)
        {
            plugins.ReportError($"exactly one KeyManager plugin must be configured; found {keyManagers.Count}");
        }

        foreach (var block in keyManagers)
        {
            BindKeyManager(block, options);
        }

        var attestors = new List<WorkloadAttestorKind>();
        var unix = new UnixAttestorOptions();
        foreach (var block in EnabledBlocks(plugins, "WorkloadAttestor"))
        {
            if (BindWorkloadAttestor(block, unix) is { } kind)
            {
                if (attestors.Contains(kind))
                {
                    block.Body.ReportError($"WorkloadAttestor \"{block.Label}\" is configured more than once");
                }

                attestors.Add(kind);
            }
        }

        if (attestors.Count == 0 && !errors.Items.Any(e => e.Message.StartsWith("WorkloadAttestor", StringComparison.Ordinal)))
        {
            plugins.ReportError("at least one WorkloadAttestor plugin must be configured");
        }

        return (attestors, unix);
    }

    private static List<ConfigBlock> EnabledBlocks(ConfigSection plugins, string type)
    {
        var enabled = new List<ConfigBlock>();
        foreach (var block in plugins.GetLabelledBlocks(type))
        {
            ReportKeys(block.Body, PluginBlockKeys, UnsupportedPluginBlockKeys, $"{type} \"{block.Label}\": ");
            if (block.Body.GetBool("enabled") ?? true)
            {
                enabled.Add(block);
            }
        }

        return enabled;
    }

    private static ConfigSection? PluginData(ConfigBlock block) => block.Body.GetSection("plugin_data");

    private static void BindNodeAttestor(ConfigBlock block, AgentOptions options)
    {
        var data = PluginData(block);
        switch (block.Label)
        {
            case "join_token":
                data?.ReportUnknownKeys();
                break;
            case "x509pop":
                if (data is null)
                {
                    block.Body.ReportError("NodeAttestor \"x509pop\" needs plugin_data with private_key_path and certificate_path");
                    return;
                }

                data.ReportUnknownKeys("private_key_path", "certificate_path", "intermediates_path");
                options.X509PopPrivateKeyPath = data.GetString("private_key_path", required: true);
                options.X509PopCertificatePath = data.GetString("certificate_path", required: true);
                options.X509PopIntermediatesPath = data.GetString("intermediates_path");
                break;
            default:
                block.Body.ReportError($"NodeAttestor \"{block.Label}\" is not supported by spiffe-agent (supported: join_token, x509pop)");
                break;
        }
    }

    private static void BindKeyManager(ConfigBlock block, AgentOptions options)
    {
        var data = PluginData(block);
        switch (block.Label)
        {
            case "disk":
                options.KeyManager = AgentKeyManagerKind.Disk;
                data?.ReportUnknownKeys("directory");
                if (data?.GetString("directory") is { } directory && !SamePath(directory, options.DataDirectory))
                {
                    data.ReportError(
                        $"KeyManager \"disk\" directory \"{directory}\" must be the data_dir \"{options.DataDirectory}\": spiffe-agent keeps keys.json in data_dir",
                        "directory");
                }

                break;
            case "memory":
                options.KeyManager = AgentKeyManagerKind.Memory;
                data?.ReportUnknownKeys();
                break;
            default:
                block.Body.ReportError($"KeyManager \"{block.Label}\" is not supported by spiffe-agent (supported: disk, memory)");
                break;
        }
    }

    private static WorkloadAttestorKind? BindWorkloadAttestor(ConfigBlock block, UnixAttestorOptions unix)
    {
        var data = PluginData(block);
        switch (block.Label)
        {
            case "unix":
                if (data is not null)
                {
                    data.ReportUnknownKeys("discover_workload_path", "workload_size_limit");
                    unix.DiscoverWorkloadPath = data.GetBool("discover_workload_path") ?? false;
                    if (data.GetString("workload_size_limit") is { } limit)
                    {
                        if (long.TryParse(limit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bytes))
                        {
                            unix.WorkloadSizeLimit = bytes;
                        }
                        else
                        {
                            data.ReportError("\"workload_size_limit\" must be an integer number of bytes", "workload_size_limit");
                        }
                    }
                }

                return WorkloadAttestorKind.Unix;
            case "cgroup":
                data?.ReportUnknownKeys();
                return WorkloadAttestorKind.Cgroup;
            case "systemd":
                data?.ReportUnknownKeys();
                return WorkloadAttestorKind.Systemd;
            case "container":
                data?.ReportUnknownKeys();
                return WorkloadAttestorKind.Container;
            default:
                block.Body.ReportError($"WorkloadAttestor \"{block.Label}\" is not supported by spiffe-agent (supported: unix, cgroup, systemd, container)");
                return null;
        }
    }

    private static HealthCheckSettings BindHealthChecks(ConfigSection health)
    {
        health.ReportUnknownKeys(HealthCheckKeys);
        var defaults = new HealthCheckSettings();
        return new HealthCheckSettings
        {
            ListenerEnabled = health.GetBool("listener_enabled") ?? false,
            BindAddress = health.GetString("bind_address") ?? defaults.BindAddress,
            BindPort = health.GetInt("bind_port", 0, 65535) ?? defaults.BindPort,
            LivePath = CheckPath(health, "live_path") ?? defaults.LivePath,
            ReadyPath = CheckPath(health, "ready_path") ?? defaults.ReadyPath,
        };
    }

    private static string? CheckPath(ConfigSection section, string key)
    {
        var path = section.GetString(key);
        if (path is not null && !path.StartsWith('/'))
        {
            section.ReportError($"\"{key}\" must start with /", key);
            return null;
        }

        return path;
    }

    private static PrometheusSettings? BindTelemetry(ConfigSection telemetry)
    {
        ReportKeys(telemetry, ["Prometheus", .. UnsupportedSinks], UnsupportedTelemetryKeys);
        foreach (var sink in UnsupportedSinks.Where(telemetry.Contains))
        {
            telemetry.ReportError($"telemetry sink \"{sink}\" is not supported by spiffe-agent (supported: Prometheus)", sink);
        }

        if (telemetry.GetSection("Prometheus") is not { } prometheus)
        {
            return null;
        }

        prometheus.ReportUnknownKeys("host", "port");
        var host = prometheus.GetString("host") ?? "localhost";
        var port = prometheus.GetInt("port", 0, 65535, required: true);
        return port is { } p ? new PrometheusSettings(host, p) : null;
    }

    private static void CheckAdminSocket(ConfigSection agent, string socketPath, string? adminSocketPath)
    {
        if (string.IsNullOrEmpty(adminSocketPath) || socketPath.Length == 0)
        {
            return;
        }

        var publicDirectory = Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? "/";
        var adminDirectory = Path.GetDirectoryName(Path.GetFullPath(adminSocketPath)) ?? "/";
        var relative = Path.GetRelativePath(publicDirectory, adminDirectory);
        if (relative == "." || !(relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)))
        {
            agent.ReportError("\"admin_socket_path\" cannot be in the same directory as, or a subdirectory of, the directory containing \"socket_path\"", "admin_socket_path");
        }
    }

    private static void ReportKeys(ConfigSection section, IEnumerable<string> supported, IReadOnlyCollection<string> unsupported, string prefix = "")
    {
        section.ReportUnknownKeys(supported.Concat(unsupported));
        foreach (var key in unsupported.Where(section.Contains))
        {
            section.ReportError($"{prefix}\"{key}\" {Where(section)} is not supported by spiffe-agent", key);
        }
    }

    private static string Where(ConfigSection section) => $"in block \"{section.Path}\"";

    private static void Report(ConfigSection section, ConfigErrors errors, bool fromCommandLine, string key, string message)
    {
        if (fromCommandLine)
        {
            errors.Add(CommandLine, message + " (from the command line)");
        }
        else
        {
            section.ReportError(message, key);
        }
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static WorkloadKeyType? ParseKeyType(string text) => text.ToUpperInvariant() switch
    {
        "EC-P256" => WorkloadKeyType.EcP256,
        "EC-P384" => WorkloadKeyType.EcP384,
        "RSA-2048" => WorkloadKeyType.Rsa2048,
        _ => null,
    };

    /// <summary>Parses a SPIRE log level (case-insensitive).</summary>
    public static AgentLogLevel? ParseLogLevel(string text) => text.ToUpperInvariant() switch
    {
        "DEBUG" or "TRACE" => AgentLogLevel.Debug,
        "INFO" => AgentLogLevel.Info,
        "WARN" or "WARNING" => AgentLogLevel.Warn,
        "ERROR" or "FATAL" or "PANIC" => AgentLogLevel.Error,
        _ => null,
    };
}
