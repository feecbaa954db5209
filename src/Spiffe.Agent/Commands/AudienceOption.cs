using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>-audience</c>: a comma-separated list, which may also be repeated.</summary>
internal static class AudienceOption
{
    /// <summary>Creates the option.</summary>
    public static Option<string[]> Create(string description) => new("-audience", "--audience")
    {
        Description = description,
        Required = true,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result => [.. result.Tokens
            .SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))],
    };
}
