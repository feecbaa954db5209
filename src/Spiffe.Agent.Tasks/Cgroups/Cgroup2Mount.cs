namespace Spiffe.Agent.Tasks.Cgroups;

/// <summary>Where the cgroup v2 hierarchy is mounted.</summary>
/// <param name="MountPoint">Directory of the mount, e.g. <c>/sys/fs/cgroup</c> or, on hybrid hosts, <c>/sys/fs/cgroup/unified</c>.</param>
/// <param name="Root">The cgroup path the mount exposes (field 4 of mountinfo), usually <c>/</c>.</param>
internal sealed record Cgroup2Mount(string MountPoint, string Root)
{
    /// <summary>
    /// Finds the first <c>cgroup2</c> mount in <c>/proc/self/mountinfo</c> text, or <see langword="null"/> when there is
    /// none (a cgroup v1-only host).
    /// </summary>
    public static Cgroup2Mount? Parse(string mountInfo)
    {
        foreach (var line in mountInfo.Split('\n'))
        {
            // id parent major:minor root mount-point options [optional fields…] - fstype source super-options
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (separator < 6 || separator + 1 >= fields.Length)
            {
                continue;
            }

            if (string.Equals(fields[separator + 1], "cgroup2", StringComparison.Ordinal))
            {
                return new Cgroup2Mount(Unescape(fields[4]), Unescape(fields[3]));
            }
        }

        return null;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as three-digit octal (<c>\040</c>).</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var result = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                result.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                result.Append(field[i]);
            }
        }

        return result.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 2 < s.Length && s[start] is >= '0' and <= '7' && s[start + 1] is >= '0' and <= '7' && s[start + 2] is >= '0' and <= '7';
}
