using System.Globalization;
using Microsoft.Extensions.Logging;
using Spiffe.Configuration;
using Spiffe.Core;

namespace Spiffe.Server.Config;

/// <summary>
/// Reads a SPIRE <c>server.conf</c> (HCL or JSON) into a <see cref="ServerConfig"/>. Every problem (unknown key,
/// unsupported SPIRE key or plugin, missing required key, bad value) is collected with its file and line, and start-up
/// stops with one <see cref="ConfigException"/> listing them all.
/// </summary>
internal static class ServerConfigLoader
{
    private static readonly ConfigLocation FlagLocation = new("command line", 0, 0);

    private static readonly string[] ServerKeys =
    [
        "bind_address", "bind_port", "socket_path", "trust_domain", "data_dir", "log_level", "log_format", "log_file",
        "ca_key_type", "jwt_key_type", "ca_ttl", "default_x509_svid_ttl", "default_jwt_svid_ttl", "agent_ttl",
        "jwt_issuer", "ca_subject", "experimental", "default_wit_svid_ttl", "task_grants",
    ];

    // SPIRE server keys this server does not implement: named as unsupported rather than unknown.
    private static readonly string[] UnsupportedServerKeys =
    [
        "federation", "admin_ids", "audit_log_enabled", "ratelimit", "cache_reload_interval", "prune_events_older_than",
        "profiling_enabled", "profiling_port", "profiling_freq", "profiling_names", "log_source_location",
        "default_svid_ttl", "use_legacy_downstream_x509_ca_ttl", "tls_policy", "sql_transaction_timeout",
        "event_timeout", "max_attested_node_info_staleness",
    ];

    private static readonly string[] ExternalPluginKeys = ["plugin_cmd", "plugin_checksum", "plugin_data_file"];

    private static readonly string[] UnsupportedPluginTypes = ["Notifier", "BundlePublisher", "CredentialComposer", "SVIDStore"];

    private static readonly string[] PluginBlockKeys = ["plugin_data", "plugin_cmd", "plugin_checksum", "enabled", "plugin_data_file"];

    /// <summary>Loads and validates the file at <paramref name="path"/>, then applies <paramref name="overrides"/>.</summary>
    /// <exception cref="ConfigException">The file is malformed or invalid; the message lists every problem.</exception>
    public static ServerConfig Load(string path, ServerConfigOverrides? overrides = null, bool expandEnv = false) =>
        Bind(ConfigFile.Load(path, expandEnv), overrides ?? ServerConfigOverrides.None);

    /// <summary>Parses and validates configuration text; <paramref name="fileName"/> names it in messages.</summary>
    /// <exception cref="ConfigException">The text is malformed or invalid; the message lists every problem.</exception>
    public static ServerConfig Parse(string text, string fileName, ServerConfigOverrides? overrides = null) =>
        Bind(ConfigFile.Parse(text, fileName), overrides ?? ServerConfigOverrides.None);

    private static ServerConfig Bind(ConfigObject tree, ServerConfigOverrides overrides)
    {
        var errors = new ConfigErrors();
        var root = ConfigSection.Root(tree, errors);
        root.ReportUnknownKeys("server", "plugins", "health_checks", "telemetry");
        if (root.Contains("telemetry"))
        {
            root.ReportError("block \"telemetry\" is not supported by spiffe-server", "telemetry");
        }

        var server = root.GetSection("server", required: true);
        var plugins = root.GetSection("plugins", required: true);
        var health = root.GetSection("health_checks");

        var config = server is null ? null : BindServer(server, overrides, errors);
        var pluginConfig = plugins is null ? null : BindPlugins(plugins);
        var healthConfig = health is null ? new HealthChecksConfig() : BindHealth(health);

        errors.ThrowIfAny();
        return config! with
        {
            DataStore = pluginConfig!.DataStore!,
            KeyManager = pluginConfig.KeyManager!,
            JoinTokenAttestor = pluginConfig.JoinToken,
            X509Pop = pluginConfig.X509Pop,
            UpstreamAuthority = pluginConfig.Upstream,
            HealthChecks = healthConfig,
        };
    }

    private static ServerConfig? BindServer(ConfigSection s, ServerConfigOverrides o, ConfigErrors errors)
    {
        s.ReportUnknownKeys([.. ServerKeys, .. UnsupportedServerKeys]);
        foreach (var key in UnsupportedServerKeys.Where(s.Contains))
        {
            s.ReportError($"key \"{key}\" in block \"server\" is not supported by spiffe-server", key);
        }

        var trustDomain = ReadTrustDomain(s, o, errors);
        var bindAddress = o.BindAddress ?? s.GetString("bind_address") ?? "0.0.0.0";
        var bindPort = ReadPort(s, o, errors);
        var socketPath = o.SocketPath ?? s.GetString("socket_path") ?? "/tmp/spiffe-server/private/api.sock";
        var dataDir = o.DataDir ?? s.GetString("data_dir") ?? ".";
        var logLevel = ReadLogLevel(s, o, errors);
        var logFormat = ReadLogFormat(s, o, errors);
        var logFile = o.LogFile ?? s.GetString("log_file");
        var caKeyType = ReadKeyType(s, "ca_key_type") ?? KeyType.EcP256;
        var jwtKeyType = ReadKeyType(s, "jwt_key_type");
        var caTtl = s.GetDuration("ca_ttl") ?? TimeSpan.FromHours(24);
        var x509Ttl = s.GetDuration("default_x509_svid_ttl") ?? TimeSpan.FromHours(1);
        var jwtTtl = s.GetDuration("default_jwt_svid_ttl") ?? TimeSpan.FromMinutes(5);
        var witTtl = s.GetDuration("default_wit_svid_ttl") ?? TimeSpan.FromMinutes(5);
        var agentTtl = s.GetDuration("agent_ttl");
        var jwtIssuer = s.GetString("jwt_issuer");
        RequirePositive(s, "ca_ttl", caTtl);
        RequirePositive(s, "default_x509_svid_ttl", x509Ttl);
        RequirePositive(s, "default_jwt_svid_ttl", jwtTtl);
        RequirePositive(s, "default_wit_svid_ttl", witTtl);
        if (agentTtl is { } a)
        {
            RequirePositive(s, "agent_ttl", a);
        }

        if (jwtIssuer is not null && !Uri.TryCreate(jwtIssuer, UriKind.Absolute, out _))
        {
            s.ReportError($"\"jwt_issuer\" must be an absolute URL, got \"{jwtIssuer}\"", "jwt_issuer");
        }

        var subject = new CaSubject();
        if (s.GetSection("ca_subject") is { } cs)
        {
            cs.ReportUnknownKeys("country", "organization", "common_name");
            subject = new CaSubject
            {
                Country = cs.GetStringList("country") ?? [],
                Organization = cs.GetStringList("organization") ?? [],
                CommonName = cs.GetString("common_name") ?? string.Empty,
            };
        }

        IReadOnlyList<string> flags = [];
        if (s.GetSection("experimental") is { } ex)
        {
            ex.ReportUnknownKeys("feature_flags");
            flags = ex.GetStringList("feature_flags") ?? [];
            foreach (var flag in flags.Where(f => f != "wit-svid"))
            {
                ex.ReportError($"unknown feature flag \"{flag}\" in \"feature_flags\"", "feature_flags");
            }
        }

        var grants = TaskGrantsBinder.Bind(s, trustDomain);
        return trustDomain is not { } td
            ? null
            : new ServerConfig
            {
                TrustDomain = td,
                BindAddress = bindAddress,
                BindPort = bindPort,
                SocketPath = socketPath,
                DataDir = dataDir,
                LogLevel = logLevel,
                LogFormat = logFormat,
                LogFile = logFile,
                CaKeyType = caKeyType,
                JwtKeyType = jwtKeyType,
                CaTtl = caTtl,
                DefaultX509SvidTtl = x509Ttl,
                DefaultJwtSvidTtl = jwtTtl,
                DefaultWitSvidTtl = witTtl,
                TaskGrants = grants,
                AgentTtl = agentTtl,
                JwtIssuer = jwtIssuer,
                CaSubject = subject,
                FeatureFlags = flags,
                DataStore = new DataStoreConfig(string.Empty),
            };
    }

    private static TrustDomain? ReadTrustDomain(ConfigSection s, ServerConfigOverrides o, ConfigErrors errors)
    {
        if (o.TrustDomain is { } flag)
        {
            if (TrustDomain.TryParse(flag, out var fromFlag))
            {
                return fromFlag;
            }

            errors.Add(FlagLocation, $"-trustDomain: invalid trust domain \"{flag}\"");
            return null;
        }

        var text = s.GetString("trust_domain", required: true);
        if (text is null)
        {
            return null;
        }

        if (TrustDomain.TryParse(text, out var td))
        {
            return td;
        }

        s.ReportError($"\"trust_domain\" is not a valid trust domain name: \"{text}\"", "trust_domain");
        return null;
    }

    private static int ReadPort(ConfigSection s, ServerConfigOverrides o, ConfigErrors errors)
    {
        if (o.BindPort is { } flag)
        {
            if (flag is >= 0 and <= 65535)
            {
                return flag;
            }

            errors.Add(FlagLocation, $"-serverPort: {flag.ToString(CultureInfo.InvariantCulture)} is not a port number");
            return 0;
        }

        return s.GetInt("bind_port", 0, 65535) ?? 8081;
    }

    private static LogLevel ReadLogLevel(ConfigSection s, ServerConfigOverrides o, ConfigErrors errors)
    {
        var fromFlag = o.LogLevel is not null;
        var text = o.LogLevel ?? s.GetString("log_level");
        if (text is null)
        {
            return LogLevel.Information;
        }

        LogLevel? level = text.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" => LogLevel.Information,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "FATAL" or "PANIC" => LogLevel.Critical,
            _ => null,
        };
        if (level is { } l)
        {
            return l;
        }

        var message = $"\"log_level\" must be one of DEBUG, INFO, WARN, ERROR, got \"{text}\"";
        if (fromFlag)
        {
            errors.Add(FlagLocation, "-logLevel: " + message);
        }
        else
        {
            s.ReportError(message, "log_level");
        }

        return LogLevel.Information;
    }

    private static LogFormat ReadLogFormat(ConfigSection s, ServerConfigOverrides o, ConfigErrors errors)
    {
        var fromFlag = o.LogFormat is not null;
        var text = o.LogFormat ?? s.GetString("log_format");
        switch (text?.ToUpperInvariant())
        {
            case null or "" or "TEXT":
                return LogFormat.Text;
            case "JSON":
                return LogFormat.Json;
            default:
                var message = $"\"log_format\" must be text or json, got \"{text}\"";
                if (fromFlag)
                {
                    errors.Add(FlagLocation, "-logFormat: " + message);
                }
                else
                {
                    s.ReportError(message, "log_format");
                }

                return LogFormat.Text;
        }
    }

    private static KeyType? ReadKeyType(ConfigSection s, string key)
    {
        var text = s.GetString(key);
        switch (text)
        {
            case null:
                return null;
            case "ec-p256":
                return KeyType.EcP256;
            case "ec-p384":
                return KeyType.EcP384;
            case "rsa-2048":
                return KeyType.Rsa2048;
            case "rsa-4096":
                return KeyType.Rsa4096;
            default:
                s.ReportError($"\"{key}\" must be one of ec-p256, ec-p384, rsa-2048, rsa-4096, got \"{text}\"", key);
                return null;
        }
    }

    private static void RequirePositive(ConfigSection s, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero && s.Contains(key))
        {
            s.ReportError($"\"{key}\" must be greater than zero", key);
        }
    }

    private static HealthChecksConfig BindHealth(ConfigSection h)
    {
        h.ReportUnknownKeys("listener_enabled", "bind_address", "bind_port", "live_path", "ready_path");
        var defaults = new HealthChecksConfig();
        return new HealthChecksConfig
        {
            ListenerEnabled = h.GetBool("listener_enabled") ?? false,
            BindAddress = h.GetString("bind_address") ?? defaults.BindAddress,
            BindPort = h.GetInt("bind_port", 0, 65535) ?? defaults.BindPort,
            LivePath = h.GetString("live_path") ?? defaults.LivePath,
            ReadyPath = h.GetString("ready_path") ?? defaults.ReadyPath,
        };
    }

    private static PluginSet BindPlugins(ConfigSection p)
    {
        var set = new PluginSet();
        p.ReportUnknownKeys("DataStore", "KeyManager", "NodeAttestor", "UpstreamAuthority", "Notifier", "BundlePublisher",
            "CredentialComposer", "SVIDStore");
        foreach (var type in UnsupportedPluginTypes)
        {
            foreach (var block in p.GetLabelledBlocks(type))
            {
                block.Body.ReportError($"plugin {block.Type} \"{block.Label}\" is not supported by spiffe-server (no {type} plugins are)");
            }
        }

        foreach (var block in p.GetLabelledBlocks("DataStore"))
        {
            if (PluginData(block, "sql") is { } data)
            {
                data.ReportUnknownKeys("database_type", "connection_string");
                var databaseType = data.GetString("database_type", required: true);
                var connection = data.GetString("connection_string", required: true);
                if (databaseType is not null and not "sqlite3")
                {
                    data.ReportError($"DataStore \"sql\": database_type \"{databaseType}\" is not supported by spiffe-server (only sqlite3)", "database_type");
                }

                if (Duplicate(block, set.DataStore is not null) && connection is not null)
                {
                    set.DataStore = new DataStoreConfig(connection);
                }
            }
        }

        foreach (var block in p.GetLabelledBlocks("KeyManager"))
        {
            switch (block.Label)
            {
                case "memory" when PluginData(block, "memory") is { } data:
                    data.ReportUnknownKeys();
                    if (Duplicate(block, set.KeyManager is not null))
                    {
                        set.KeyManager = new KeyManagerConfig(KeyManagerKind.Memory, null);
                    }

                    break;
                case "disk" when PluginData(block, "disk") is { } data:
                    data.ReportUnknownKeys("keys_path");
                    var keysPath = data.GetString("keys_path", required: true);
                    if (Duplicate(block, set.KeyManager is not null) && keysPath is not null)
                    {
                        set.KeyManager = new KeyManagerConfig(KeyManagerKind.Disk, keysPath);
                    }

                    break;
                case "memory" or "disk":
                    break;
                default:
                    Unsupported(block);
                    break;
            }
        }

        foreach (var block in p.GetLabelledBlocks("NodeAttestor"))
        {
            switch (block.Label)
            {
                case "join_token" when PluginData(block, "join_token") is { } data:
                    data.ReportUnknownKeys();
                    set.JoinToken = true;
                    break;
                case "x509pop" when PluginData(block, "x509pop") is { } data:
                    set.X509Pop = BindX509Pop(data);
                    break;
                case "join_token" or "x509pop":
                    break;
                default:
                    Unsupported(block);
                    break;
            }
        }

        foreach (var block in p.GetLabelledBlocks("UpstreamAuthority"))
        {
            if (PluginData(block, "disk") is { } data)
            {
                data.ReportUnknownKeys("key_file_path", "cert_file_path", "bundle_file_path");
                var key = data.GetString("key_file_path", required: true);
                var cert = data.GetString("cert_file_path", required: true);
                var bundle = data.GetString("bundle_file_path");
                if (Duplicate(block, set.Upstream is not null) && key is not null && cert is not null)
                {
                    set.Upstream = new UpstreamAuthorityConfig(key, cert, bundle);
                }
            }
        }

        if (set.DataStore is null && !p.Errors.Items.Any(e => e.Message.Contains("DataStore", StringComparison.Ordinal)))
        {
            p.ReportError("missing required plugin DataStore \"sql\" in block \"plugins\"");
        }

        if (set.KeyManager is null && !p.Errors.Items.Any(e => e.Message.Contains("KeyManager", StringComparison.Ordinal)))
        {
            p.ReportError("missing required plugin KeyManager (\"disk\" or \"memory\") in block \"plugins\"");
        }

        return set;
    }

    private static X509PopConfig? BindX509Pop(ConfigSection data)
    {
        data.ReportUnknownKeys("mode", "ca_bundle_path", "ca_bundle_paths", "agent_path_template", "svid_prefix");
        var mode = data.GetString("mode");
        if (mode is not null and not "private")
        {
            data.ReportError($"NodeAttestor \"x509pop\": mode \"{mode}\" is not supported by spiffe-server (only \"private\")", "mode");
        }

        if (data.Contains("svid_prefix"))
        {
            data.ReportError("NodeAttestor \"x509pop\": \"svid_prefix\" is not supported by spiffe-server (mode \"spiffe\" only)", "svid_prefix");
        }

        var paths = new List<string>();
        if (data.GetString("ca_bundle_path") is { } one)
        {
            paths.Add(one);
        }

        if (data.GetStringList("ca_bundle_paths") is { } many)
        {
            paths.AddRange(many);
        }

        if (paths.Count == 0)
        {
            data.ReportError("NodeAttestor \"x509pop\": one of \"ca_bundle_path\" or \"ca_bundle_paths\" is required");
            return null;
        }

        return new X509PopConfig(paths, data.GetString("agent_path_template"));
    }

    private static ConfigSection? PluginData(ConfigBlock block, string supportedLabel)
    {
        if (block.Label != supportedLabel)
        {
            Unsupported(block);
            return null;
        }

        var body = block.Body;
        body.ReportUnknownKeys(PluginBlockKeys);
        foreach (var key in ExternalPluginKeys.Where(body.Contains))
        {
            body.ReportError($"{block.Type} \"{block.Label}\": \"{key}\" is not supported by spiffe-server (plugins are built in)", key);
        }

        if (body.GetBool("enabled") == false)
        {
            return null;
        }

        return body.GetSection("plugin_data") ?? EmptySection(body);
    }

    private static ConfigSection EmptySection(ConfigSection parent) =>
        ConfigSection.Root(new ConfigObject([], parent.Location), parent.Errors);

    private static void Unsupported(ConfigBlock block) =>
        block.Body.ReportError($"plugin {block.Type} \"{block.Label}\" is not supported by spiffe-server");

    private static bool Duplicate(ConfigBlock block, bool alreadySet)
    {
        if (alreadySet)
        {
            block.Body.ReportError($"plugin {block.Type} is configured more than once");
            return false;
        }

        return true;
    }

    private sealed class PluginSet
    {
        public DataStoreConfig? DataStore { get; set; }

        public KeyManagerConfig? KeyManager { get; set; }

        public bool JoinToken { get; set; }

        public X509PopConfig? X509Pop { get; set; }

        public UpstreamAuthorityConfig? Upstream { get; set; }
    }
}
