using System.Text;

namespace Spiffe.Agent.Attestation.Proc;

/// <summary>One line of <c>/proc/&lt;pid&gt;/mountinfo</c> (see proc(5)), reduced to the fields attestation uses.</summary>
/// <param name="Root">Field 4: the directory of the mounted filesystem that forms the root of this mount.</param>
/// <param name="MountPoint">Field 5: where it is mounted, relative to the process's root.</param>
/// <param name="FileSystemType">The first field after the <c>-</c> separator, e.g. <c>cgroup2</c>.</param>
internal sealed record MountInfoEntry(string Root, string MountPoint, string FileSystemType)
{
    // Fields before the separator: ID, parent ID, major:minor, root, mount point, options, then optional fields.
    private const int MinimumFieldsBeforeSeparator = 6;

    /// <summary>True for a cgroup v1 (<c>cgroup</c>) or v2 (<c>cgroup2</c>) mount.</summary>
    public bool IsCgroup => FileSystemType is "cgroup" or "cgroup2";

    /// <summary>
    /// Parses the text of a mountinfo file. Lines split on single spaces, so an empty mount source (a tmpfs may have
    /// none) is an empty field rather than a shifted line; the kernel's octal escapes (<c>\040</c> for a space …) in
    /// root and mount point are decoded.
    /// </summary>
    /// <exception cref="FormatException">A line has no <c>-</c> separator, too few fields, or no filesystem type.</exception>
    public static IReadOnlyList<MountInfoEntry> ParseFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<MountInfoEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length != 0)
            {
                entries.Add(ParseLine(line));
            }
        }

        return entries;
    }

    private static MountInfoEntry ParseLine(string line)
    {
        var fields = line.Split(' ');
        var separator = Array.IndexOf(fields, "-");
        if (separator < 0)
        {
            throw new FormatException($"mountinfo line has no '-' separator: '{line}'");
        }

        if (separator < MinimumFieldsBeforeSeparator)
        {
            throw new FormatException($"mountinfo line has {separator} fields before the separator; expected at least {MinimumFieldsBeforeSeparator}: '{line}'");
        }

        if (separator + 1 >= fields.Length || fields[separator + 1].Length == 0)
        {
            throw new FormatException($"mountinfo line has no filesystem type: '{line}'");
        }

        return new MountInfoEntry(Unescape(fields[3]), Unescape(fields[4]), fields[separator + 1]);
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field.AsSpan(i + 1, 3)))
            {
                builder.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                builder.Append(field[i]);
            }
        }

        return builder.ToString();
    }

    private static bool IsOctal(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (c is < '0' or > '7')
            {
                return false;
            }
        }

        return true;
    }
}
