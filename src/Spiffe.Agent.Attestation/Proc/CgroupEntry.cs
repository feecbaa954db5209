using System.Globalization;

namespace Spiffe.Agent.Attestation.Proc;

/// <summary>
/// One line of <c>/proc/&lt;pid&gt;/cgroup</c>: <c>hierarchy-ID:controller-list:cgroup-path</c>. Cgroup v1 has one line
/// per mounted hierarchy; the cgroup v2 (unified) hierarchy is the line <c>0::&lt;path&gt;</c>.
/// </summary>
/// <param name="HierarchyId">The hierarchy ID; 0 for the unified (v2) hierarchy.</param>
/// <param name="Controllers">The v1 controllers bound to the hierarchy (e.g. <c>cpu</c>, <c>cpuacct</c>, <c>name=systemd</c>); empty for v2.</param>
/// <param name="Path">
/// The cgroup path relative to the reader's cgroup-namespace root; it may be <c>/</c> or start with <c>/..</c> when the
/// process is outside that namespace.
/// </param>
internal sealed record CgroupEntry(int HierarchyId, IReadOnlyList<string> Controllers, string Path)
{
    /// <summary>True for the cgroup v2 (unified hierarchy) line <c>0::</c>.</summary>
    public bool IsUnified => HierarchyId == 0;

    /// <summary>
    /// Parses the text of a cgroup file. Each line splits at its first two colons (the path may contain colons);
    /// empty lines are skipped.
    /// </summary>
    /// <exception cref="FormatException">A line has fewer than three fields, a non-numeric hierarchy ID, or an empty path.</exception>
    public static IReadOnlyList<CgroupEntry> ParseFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<CgroupEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(':', 3);
            if (parts.Length < 3)
            {
                throw new FormatException($"cgroup line has {parts.Length} colon-separated fields; expected 3: '{line}'");
            }

            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hierarchyId))
            {
                throw new FormatException($"cgroup line has a hierarchy ID that is not a number: '{line}'");
            }

            if (parts[2].Length == 0)
            {
                throw new FormatException($"cgroup line has an empty path: '{line}'");
            }

            var controllers = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries);
            entries.Add(new CgroupEntry(hierarchyId, controllers, parts[2]));
        }

        return entries;
    }
}
