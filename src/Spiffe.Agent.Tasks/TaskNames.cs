using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Spiffe.Agent.Tasks;

/// <summary>Grammar of task IDs and agent names: <c>[A-Za-z0-9._-]{1,128}</c>.</summary>
internal static partial class TaskNames
{
    /// <summary>The grammar, for error messages and documentation.</summary>
    public const string Pattern = "[A-Za-z0-9._-]{1,128}";

    /// <summary>Whether <paramref name="value"/> is a valid task ID or agent name.</summary>
    public static bool IsValid(string? value) => value is not null && NameRegex().IsMatch(value);

    /// <summary>A fresh random task ID (128 bits, lowercase hex).</summary>
    public static string NewTaskId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
