namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>
/// A systemd unit file read the way systemd reads the subset the sample uses: <c>[Section]</c> headers,
/// <c>Key=Value</c> lines (a repeated key keeps its last value), and <c>#</c>/<c>;</c> comment lines.
/// </summary>
internal sealed class SystemdUnitFile
{
    private readonly Dictionary<string, Dictionary<string, string>> sections = new(StringComparer.Ordinal);

    private SystemdUnitFile()
    {
    }

    /// <summary>The comment lines, without their <c>#</c>, in order.</summary>
    public List<string> Comments { get; } = [];

    public static SystemdUnitFile Load(string path)
    {
        var unit = new SystemdUnitFile();
        Dictionary<string, string>? section = null;
        foreach (var (raw, number) in File.ReadLines(path).Select((line, index) => (line.Trim(), index + 1)))
        {
            if (raw.Length == 0)
            {
                continue;
            }

            if (raw[0] is '#' or ';')
            {
                unit.Comments.Add(raw[1..].Trim());
            }
            else if (raw[0] == '[' && raw[^1] == ']')
            {
                section = new Dictionary<string, string>(StringComparer.Ordinal);
                unit.sections.Add(raw[1..^1], section);
            }
            else if (raw.IndexOf('=', StringComparison.Ordinal) is var equals and > 0 && section is not null)
            {
                section[raw[..equals].Trim()] = raw[(equals + 1)..].Trim();
            }
            else
            {
                throw new FormatException($"{path}:{number}: not a section, a Key=Value line or a comment: {raw}");
            }
        }

        return unit;
    }

    /// <summary>A value, or null when the section or key is absent.</summary>
    public string? Get(string section, string key) =>
        this.sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) ? value : null;
}
