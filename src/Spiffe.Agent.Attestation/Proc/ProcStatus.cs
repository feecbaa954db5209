using System.Globalization;

namespace Spiffe.Agent.Attestation.Proc;

/// <summary>The parts of <c>/proc/&lt;pid&gt;/status</c> that attestation uses.</summary>
/// <param name="EffectiveUid">The effective user ID: the second value of the <c>Uid:</c> line.</param>
/// <param name="EffectiveGid">The effective group ID: the second value of the <c>Gid:</c> line.</param>
/// <param name="SupplementaryGroups">The <c>Groups:</c> line, in kernel order (empty when the line is empty or absent).</param>
internal sealed record ProcStatus(uint EffectiveUid, uint EffectiveGid, IReadOnlyList<uint> SupplementaryGroups)
{
    /// <summary>Parses the text of a status file.</summary>
    /// <exception cref="FormatException">The <c>Uid:</c> or <c>Gid:</c> line is missing or malformed, or a group is not a number.</exception>
    public static ProcStatus Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        uint? uid = null;
        uint? gid = null;
        IReadOnlyList<uint> groups = [];
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var values = line[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            switch (line[..colon])
            {
                case "Uid":
                    uid = ParseEffective(values, "Uid");
                    break;
                case "Gid":
                    gid = ParseEffective(values, "Gid");
                    break;
                case "Groups":
                    groups = Array.ConvertAll(values, v => ParseId(v, "Groups"));
                    break;
            }
        }

        return new ProcStatus(
            uid ?? throw new FormatException("status has no Uid line"),
            gid ?? throw new FormatException("status has no Gid line"),
            groups);
    }

    private static uint ParseEffective(string[] values, string key) =>
        values.Length >= 2
            ? ParseId(values[1], key)
            : throw new FormatException($"status {key} line has {values.Length} values; expected real, effective, saved and filesystem IDs");

    private static uint ParseId(string value, string key) =>
        uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"status {key} line has a value that is not an ID: '{value}'");
}
