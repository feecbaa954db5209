using Spiffe.Configuration;
using Spiffe.Core;

namespace Spiffe.Server.Config;

/// <summary>
/// Reads <c>server.task_grants</c>:
/// <code>
/// task_grants {
///     grant "spiffe://example.org/spiffe-agent/admin" {
///         id_prefix = "spiffe://example.org/agent/"
///         max_ttl = "1h"
///     }
/// }
/// </code>
/// One <c>grant</c> block per admin SPIFFE ID (a SPIFFE ID with a path in the trust domain, outside <c>/spire/</c>);
/// <c>id_prefix</c> (a SPIFFE ID with a path in the trust domain) and a positive <c>max_ttl</c> are required.
/// </summary>
internal static class TaskGrantsBinder
{
    /// <summary>Reads the grants of the <c>server</c> block; problems are recorded in its errors.</summary>
    /// <param name="server">The <c>server</c> block.</param>
    /// <param name="trustDomain">The server's trust domain, when it is valid.</param>
    /// <returns>The grants (empty when the block is absent).</returns>
    public static IReadOnlyList<TaskGrant> Bind(ConfigSection server, TrustDomain? trustDomain)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.GetSection("task_grants") is not { } section)
        {
            return [];
        }

        section.ReportUnknownKeys("grant");
        var grants = new List<TaskGrant>();
        foreach (var block in section.GetLabelledBlocks("grant"))
        {
            var body = block.Body;
            body.ReportUnknownKeys("id_prefix", "max_ttl");
            var adminId = ReadAdminId(body, block.Label, trustDomain);
            var prefix = ReadPrefix(body, block.Label, trustDomain);
            var maxTtl = body.GetDuration("max_ttl", required: true);
            if (maxTtl is { } ttl && ttl <= TimeSpan.Zero)
            {
                body.ReportError($"task grant \"{block.Label}\": \"max_ttl\" must be greater than zero", "max_ttl");
                maxTtl = null;
            }

            if (adminId is { } admin && grants.Any(g => g.AdminId == admin))
            {
                body.ReportError($"task grant \"{block.Label}\" is configured more than once");
            }
            else if (adminId is { } id && prefix is { } p && maxTtl is { } max)
            {
                grants.Add(new TaskGrant(id, p, max));
            }
        }

        return grants;
    }

    private static SpiffeId? ReadAdminId(ConfigSection body, string label, TrustDomain? trustDomain)
    {
        if (!SpiffeId.TryParse(label, out var id) || id.IsRootPath)
        {
            body.ReportError($"task grant \"{label}\": the label must be the admin SPIFFE ID (a SPIFFE ID with a path)");
            return null;
        }

        if (trustDomain is { } td && id.TrustDomain != td)
        {
            body.ReportError($"task grant \"{label}\": the admin SPIFFE ID must be in the trust domain \"{td.Name}\"");
            return null;
        }

        if (id.Path.StartsWith("/spire/", StringComparison.Ordinal))
        {
            body.ReportError($"task grant \"{label}\": the admin SPIFFE ID must not be a reserved /spire/ ID");
            return null;
        }

        return id;
    }

    private static SpiffeId? ReadPrefix(ConfigSection body, string label, TrustDomain? trustDomain)
    {
        var text = body.GetString("id_prefix", required: true);
        if (text is null)
        {
            return null;
        }

        var trimmed = text.EndsWith('/') ? text[..^1] : text;
        if (!SpiffeId.TryParse(trimmed, out var prefix) || prefix.IsRootPath)
        {
            body.ReportError($"task grant \"{label}\": \"id_prefix\" must be a SPIFFE ID with a path, got \"{text}\"", "id_prefix");
            return null;
        }

        if (trustDomain is { } td && prefix.TrustDomain != td)
        {
            body.ReportError($"task grant \"{label}\": \"id_prefix\" must be in the trust domain \"{td.Name}\"", "id_prefix");
            return null;
        }

        return prefix;
    }
}
