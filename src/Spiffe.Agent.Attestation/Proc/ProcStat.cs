using System.Globalization;

namespace Spiffe.Agent.Attestation.Proc;

/// <summary>The parts of <c>/proc/&lt;pid&gt;/stat</c> that caller tracking uses.</summary>
/// <param name="Pid">Field 1, the process ID.</param>
/// <param name="State">Field 3, the state letter (<c>R</c>, <c>S</c>, <c>Z</c> for zombie, <c>X</c> for dead …).</param>
/// <param name="StartTime">Field 22, the start time in clock ticks after boot; with the PID it names one process.</param>
internal sealed record ProcStat(int Pid, char State, ulong StartTime)
{
    private const int StateIndex = 0;

    // Fields after the command name start at field 3, so field 22 is at index 19.
    private const int StartTimeIndex = 19;

    /// <summary>True when the process has exited (zombie or dead) even though its entry is still visible.</summary>
    public bool HasExited => State is 'Z' or 'X';

    /// <summary>
    /// Parses the text of a stat file. The command name (field 2) is in parentheses and may itself contain spaces and
    /// parentheses, so it is taken as everything between the first <c>(</c> and the last <c>)</c>.
    /// </summary>
    /// <exception cref="FormatException">The text does not have the stat layout.</exception>
    public static ProcStat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 1 || close < open || close + 2 > text.Length || text[open - 1] != ' ' || text[close + 1] != ' ')
        {
            throw new FormatException("stat text has no parenthesized command name");
        }

        if (!int.TryParse(text.AsSpan(0, open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            throw new FormatException("stat text does not start with a process ID");
        }

        var fields = text[(close + 2)..].TrimEnd('\n').Split(' ');
        if (fields.Length <= StartTimeIndex || fields[StateIndex].Length != 1)
        {
            throw new FormatException($"stat text has {fields.Length + 2} fields; expected at least 22");
        }

        if (!ulong.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime))
        {
            throw new FormatException("stat field 22 (starttime) is not a number");
        }

        return new ProcStat(pid, fields[StateIndex][0], startTime);
    }
}
