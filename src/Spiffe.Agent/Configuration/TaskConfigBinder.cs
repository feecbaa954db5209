using System.Globalization;
using Microsoft.Extensions.Options;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Admin;
using Spiffe.Agent.Endpoints.Tasks;
using Spiffe.Agent.Tasks;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Policy;
using Spiffe.Configuration;
using Spiffe.Core;

namespace Spiffe.Agent.Configuration;

/// <summary>
/// Binds the <c>tasks { }</c> block of agent.conf (see docs/tasks.md). Unknown keys and bad values are reported with
/// their line, like every other block.
/// </summary>
internal static class TaskConfigBinder
{
    private static readonly string[] Keys =
    [
        "enabled", "parent_cgroup", "max_ttl", "default_ttl", "spiffe_id_template", "policy_dir", "audit_dir",
        "allowed_uids", "admin_spiffe_id", "policy_for_all_callers",
    ];

    /// <summary>Binds the block; <paramref name="options"/> must already hold <c>trust_domain</c> and <c>data_dir</c>.</summary>
    public static TaskSettings Bind(ConfigSection block, AgentOptions options, string? adminSocketPath)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(options);
        block.ReportUnknownKeys(Keys);
        var dataDirectory = Path.GetFullPath(string.IsNullOrEmpty(options.DataDirectory) ? "." : options.DataDirectory);
        var tasks = new TaskOptions { DataDirectory = dataDirectory };
        if (block.GetString("parent_cgroup") is { } parent)
        {
            tasks.CgroupParent = parent;
        }

        if (Positive(block, "max_ttl") is { } maxTtl)
        {
            tasks.MaxTtl = maxTtl;
            tasks.DefaultTtl = tasks.DefaultTtl < maxTtl ? tasks.DefaultTtl : maxTtl;
        }

        if (Positive(block, "default_ttl") is { } defaultTtl)
        {
            if (defaultTtl > tasks.MaxTtl)
            {
                block.ReportError("\"default_ttl\" must not be longer than \"max_ttl\"", "default_ttl");
            }

            tasks.DefaultTtl = defaultTtl;
        }

        var policy = new PolicyOptions();
        if (block.GetString("policy_dir") is { } policyDirectory)
        {
            policy.Directory = Path.GetFullPath(policyDirectory);
        }

        var audit = new AuditOptions { Directory = Path.GetFullPath(block.GetString("audit_dir") ?? Path.Combine(dataDirectory, "audit")) };
        var policyForAll = block.GetBool("policy_for_all_callers") ?? false;
        var identity = new TaskIdentityOptions
        {
            SpiffeIdTemplate = block.GetString("spiffe_id_template") ?? TaskIdentityOptions.DefaultSpiffeIdTemplate,
            PolicyForAllCallers = policyForAll,
        };
        BindAdminId(block, options.TrustDomain, identity);
        CheckTemplate(block, options.TrustDomain, identity);
        var settings = new TaskSettings
        {
            Enabled = block.GetBool("enabled") ?? true,
            Tasks = tasks,
            Policy = policy,
            Audit = audit,
            Identity = identity,
            Endpoint = new TaskEndpointOptions { PolicyForAllCallers = policyForAll },
            Admin = new AdminEndpointOptions
            {
                SocketPath = string.IsNullOrEmpty(adminSocketPath) ? AdminEndpointOptions.DefaultSocketPath : adminSocketPath,
                AllowedUids = ReadUids(block) ?? [0],
            },
        };
        Validate(block, new TaskOptionsValidator().Validate(null, tasks));
        Validate(block, new PolicyOptionsValidator().Validate(null, policy));
        Validate(block, new AuditOptionsValidator().Validate(null, audit));
        return settings;
    }

    private static TimeSpan? Positive(ConfigSection block, string key)
    {
        var value = block.GetDuration(key);
        if (value <= TimeSpan.Zero)
        {
            block.ReportError($"\"{key}\" must be positive", key);
            return null;
        }

        return value;
    }

    private static void BindAdminId(ConfigSection block, TrustDomain trustDomain, TaskIdentityOptions identity)
    {
        var text = block.GetString("admin_spiffe_id");
        if (text is null)
        {
            if (!trustDomain.IsZero)
            {
                identity.AdminSpiffeId = SpiffeId.Parse(trustDomain.IdString + "/spiffe-agent/admin");
            }

            return;
        }

        if (SpiffeId.TryParse(text, out var id) && !id.IsRootPath && (trustDomain.IsZero || id.TrustDomain == trustDomain))
        {
            identity.AdminSpiffeId = id;
        }
        else
        {
            block.ReportError($"\"admin_spiffe_id\" must be a SPIFFE ID with a path in the agent's trust domain, not \"{text}\"", "admin_spiffe_id");
        }
    }

    private static void CheckTemplate(ConfigSection block, TrustDomain trustDomain, TaskIdentityOptions identity)
    {
        if (trustDomain.IsZero)
        {
            return;
        }

        try
        {
            if (identity.SpiffeIdFor(trustDomain, "agent", "task").TrustDomain != trustDomain)
            {
                block.ReportError("\"spiffe_id_template\" must yield SPIFFE IDs in the agent's trust domain", "spiffe_id_template");
            }
        }
        catch (FormatException ex)
        {
            block.ReportError("\"spiffe_id_template\": " + ex.Message, "spiffe_id_template");
        }
    }

    private static uint[]? ReadUids(ConfigSection block)
    {
        if (block.GetStringList("allowed_uids") is not { } texts)
        {
            return null;
        }

        var uids = new List<uint>(texts.Count);
        foreach (var text in texts)
        {
            if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                uids.Add(uid);
            }
            else
            {
                block.ReportError($"\"allowed_uids\" must be a list of user IDs, not \"{text}\"", "allowed_uids");
                return null;
            }
        }

        return [.. uids];
    }

    private static void Validate(ConfigSection block, ValidateOptionsResult result)
    {
        foreach (var failure in result.Failures ?? [])
        {
            block.ReportError("tasks: " + failure);
        }
    }
}
