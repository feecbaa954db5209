namespace Spiffe.Server.AdminApi;

/// <summary>
/// Checks the DNS names of an entry: ASCII host names of 1–63 character labels (letters, digits, hyphens, not at
/// either end of a label), at most 253 characters, no trailing dot, and at most one wildcard, as the whole first label.
/// </summary>
internal static class DnsNameValidator
{
    /// <summary>Validates a DNS name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>An error message, or null when the name is valid.</returns>
    public static string? Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
        {
            return "empty or only whitespace";
        }

        if (name.Any(c => c > 0x7f))
        {
            return "name must be ascii";
        }

        if (name.EndsWith('.'))
        {
            return "domain ends with dot";
        }

        if (name.Length > 253)
        {
            return "name is longer than 253 characters";
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Contains('*', StringComparison.Ordinal))
            {
                if (i != 0 || label != "*")
                {
                    return "wildcard must be first label";
                }

                continue;
            }

            if (label.Length is 0 or > 63)
            {
                return $"label \"{label}\" must have 1 to 63 characters";
            }

            if (label[0] == '-' || label[^1] == '-' || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return $"label \"{label}\" must be letters, digits and inner hyphens";
            }
        }

        return null;
    }
}
