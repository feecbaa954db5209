using System.Text;
using Spiffe.Configuration;
using Spiffe.WorkloadApi;

namespace Spiffe.Sidecar;

/// <summary>
/// Reads a spiffe-helper style <c>helper.conf</c> (HCL or JSON) into <see cref="SidecarOptions"/>, reporting every
/// problem at once with its line. Keys: <c>agent_address</c>, <c>cert_dir</c>, <c>svid_file_name</c>,
/// <c>svid_key_file_name</c>, <c>svid_bundle_file_name</c>, <c>add_intermediates_to_bundle</c>,
/// <c>include_federated_domains</c>, <c>jwt_svids = [{ jwt_audience, jwt_extra_audiences, jwt_svid_file_name }]</c>,
/// <c>jwt_bundle_file_name</c>, <c>cmd</c>, <c>cmd_args</c>, <c>renew_signal</c>, <c>pid_file_name</c>,
/// <c>cert_file_mode</c>, <c>key_file_mode</c>, <c>jwt_bundle_file_mode</c>, <c>jwt_svid_file_mode</c> (octal, e.g.
/// <c>0640</c>), <c>daemon_mode</c> and <c>timeout</c> (a duration such as <c>"30s"</c>).
/// </summary>
internal static class SidecarConfig
{
    private const string JwtSvidsKey = "jwt_svids";
    private const int MaxMode = 0x1FF;
    private static readonly string[] JwtSvidKeys = ["jwt_audience", "jwt_extra_audiences", "jwt_svid_file_name"];

    private static readonly string[] TopLevelKeys =
    [
        "agent_address", "cert_dir", "svid_file_name", "svid_key_file_name", "svid_bundle_file_name",
        "add_intermediates_to_bundle", "include_federated_domains", JwtSvidsKey, "jwt_bundle_file_name", "cmd", "cmd_args",
        "renew_signal", "pid_file_name", "cert_file_mode", "key_file_mode", "jwt_bundle_file_mode", "jwt_svid_file_mode",
        "daemon_mode", "timeout",
    ];

    /// <summary>Reads and parses a configuration file.</summary>
    /// <exception cref="SidecarConfigException">The file is not valid; the message lists every problem.</exception>
    public static SidecarOptions Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses configuration text; <paramref name="file"/> names it in messages.</summary>
    /// <exception cref="SidecarConfigException">The text is not valid; the message lists every problem.</exception>
    public static SidecarOptions Parse(string text, string file)
    {
        try
        {
            var errors = new ConfigErrors();
            var root = ConfigSection.Root(ConfigFile.Parse(text, file), errors);
            root.ReportUnknownKeys(TopLevelKeys);
            var options = Bind(root);
            Validate(root, options);
            errors.ThrowIfAny();
            return options;
        }
        catch (ConfigException ex)
        {
            throw new SidecarConfigException("invalid sidecar configuration:\n" + ex.Message, ex);
        }
    }

    private static SidecarOptions Bind(ConfigSection root)
    {
        var signalName = root.GetString("renew_signal");
        SidecarSignal? signal = null;
        if (!string.IsNullOrEmpty(signalName))
        {
            if (PosixSignals.TryParse(signalName, out var parsed))
            {
                signal = parsed;
            }
            else
            {
                root.ReportError($"\"renew_signal\" \"{signalName}\" is not a known signal ({PosixSignals.KnownNames})", "renew_signal");
            }
        }

        var timeout = root.GetDuration("timeout");
        if (timeout == TimeSpan.Zero)
        {
            root.ReportError("\"timeout\" must be greater than zero", "timeout");
        }

        return new SidecarOptions
        {
            AgentAddress = Address(root),
            CertDirectory = NonEmpty(root.GetString("cert_dir")) ?? ".",
            SvidFileName = NonEmpty(root.GetString("svid_file_name")),
            SvidKeyFileName = NonEmpty(root.GetString("svid_key_file_name")),
            SvidBundleFileName = NonEmpty(root.GetString("svid_bundle_file_name")),
            AddIntermediatesToBundle = root.GetBool("add_intermediates_to_bundle") ?? false,
            IncludeFederatedDomains = root.GetBool("include_federated_domains") ?? false,
            JwtSvids = JwtSvids(root),
            JwtBundleFileName = NonEmpty(root.GetString("jwt_bundle_file_name")),
            Command = NonEmpty(root.GetString("cmd")),
            CommandArguments = Arguments(root),
            RenewSignal = signal,
            PidFileName = NonEmpty(root.GetString("pid_file_name")),
            CertFileMode = Mode(root, "cert_file_mode") ?? SidecarOptions.DefaultCertFileMode,
            KeyFileMode = Mode(root, "key_file_mode") ?? SidecarOptions.DefaultSecretFileMode,
            JwtBundleFileMode = Mode(root, "jwt_bundle_file_mode") ?? SidecarOptions.DefaultSecretFileMode,
            JwtSvidFileMode = Mode(root, "jwt_svid_file_mode") ?? SidecarOptions.DefaultSecretFileMode,
            DaemonMode = root.GetBool("daemon_mode") ?? true,
            Timeout = timeout is { } value && value > TimeSpan.Zero ? value : TimeSpan.FromSeconds(30),
        };
    }

    private static void Validate(ConfigSection root, SidecarOptions options)
    {
        var x509Names = new[] { options.SvidFileName, options.SvidKeyFileName, options.SvidBundleFileName }.Count(n => n is not null);
        if (x509Names is not (0 or 3))
        {
            root.ReportError("all or none of \"svid_file_name\", \"svid_key_file_name\" and \"svid_bundle_file_name\" must be set");
        }

        if (x509Names == 0 && options.JwtSvids.Count == 0 && options.JwtBundleFileName is null)
        {
            root.ReportError("nothing to write: set \"svid_file_name\", \"svid_key_file_name\" and \"svid_bundle_file_name\", \"jwt_svids\", or \"jwt_bundle_file_name\"");
        }

        if (options.PidFileName is not null && options.RenewSignal is null)
        {
            root.ReportError("\"pid_file_name\" needs \"renew_signal\"", "pid_file_name");
        }

        if (options.Command is not null && options.RenewSignal is not null && !options.DaemonMode)
        {
            root.ReportError("\"cmd\" with \"renew_signal\" starts a long-running child, which needs \"daemon_mode\" = true", "cmd");
        }

        if (options.CommandArguments.Count > 0 && options.Command is null)
        {
            root.ReportError("\"cmd_args\" needs \"cmd\"", "cmd_args");
        }
    }

    private static string? Address(ConfigSection root)
    {
        var value = NonEmpty(root.GetString("agent_address"));
        if (value is null)
        {
            return null;
        }

        var address = value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase)
            ? value
            : "unix://" + Path.GetFullPath(value);
        try
        {
            WorkloadApiAddress.Parse(address);
        }
        catch (FormatException ex)
        {
            root.ReportError("\"agent_address\": " + ex.Message, "agent_address");
        }

        return address;
    }

    private static List<JwtSvidFileOptions> JwtSvids(ConfigSection root)
    {
        var result = new List<JwtSvidFileOptions>();
        foreach (var entry in root.Value.Entries.Where(e => string.Equals(e.Key, JwtSvidsKey, StringComparison.OrdinalIgnoreCase)))
        {
            IEnumerable<ConfigValue> items = entry.Value is ConfigList list ? list.Items : [entry.Value];
            foreach (var item in items)
            {
                var index = result.Count;
                if (item is not ConfigObject body)
                {
                    root.Errors.Add(item.Location, $"\"{JwtSvidsKey}\" entries must be objects such as {{ jwt_audience = \"…\", jwt_svid_file_name = \"…\" }}");
                    continue;
                }

                foreach (var unknown in body.Entries.Where(e => !JwtSvidKeys.Contains(e.Key, StringComparer.OrdinalIgnoreCase)))
                {
                    root.Errors.Add(unknown.Location, $"unknown key \"{unknown.Key}\" in {JwtSvidsKey}[{index}]");
                }

                var section = ConfigSection.Root(body, root.Errors);
                var audience = NonEmpty(section.GetString("jwt_audience"));
                var fileName = NonEmpty(section.GetString("jwt_svid_file_name"));
                if (audience is null || fileName is null)
                {
                    root.Errors.Add(body.Location, $"{JwtSvidsKey}[{index}] needs \"jwt_audience\" and \"jwt_svid_file_name\"");
                }

                result.Add(new JwtSvidFileOptions(audience ?? string.Empty, section.GetStringList("jwt_extra_audiences") ?? [], fileName ?? string.Empty));
            }
        }

        return result;
    }

    private static UnixFileMode? Mode(ConfigSection root, string key)
    {
        var text = root.GetString(key);
        if (text is null)
        {
            return null;
        }

        var digits = text.StartsWith("0o", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length is > 0 and <= 4 && digits.All(c => c is >= '0' and <= '7') && Convert.ToInt32(digits, 8) is var mode and <= MaxMode)
        {
            return (UnixFileMode)mode;
        }

        root.ReportError($"\"{key}\" must be an octal file mode such as 0644, not \"{text}\"", key);
        return null;
    }

    private static List<string> Arguments(ConfigSection root)
    {
        var text = root.GetString("cmd_args");
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var arguments = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var started = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                started = true;
            }
            else if (c == ' ')
            {
                if (started)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    started = false;
                }
            }
            else
            {
                current.Append(c);
                started = true;
            }
        }

        if (quoted)
        {
            root.ReportError("\"cmd_args\" has an unterminated double quote", "cmd_args");
        }

        if (started)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
