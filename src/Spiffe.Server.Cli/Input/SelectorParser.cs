using Spiffe.Proto.Spire.Types;

namespace Spiffe.Server.Cli.Input;

/// <summary>Parses <c>-selector type:value</c> flags: everything after the first colon is the value.</summary>
internal static class SelectorParser
{
    /// <summary>Splits a selector flag at its first colon.</summary>
    /// <param name="text">The flag value, e.g. <c>unix:uid:1000</c>.</param>
    /// <returns>The selector (<c>unix</c>, <c>uid:1000</c>).</returns>
    /// <exception cref="CliException">The text has no colon.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new CliException($"selector \"{text}\" must be formatted as type:value");
        }

        return new Selector { Type = text[..colon], Value = text[(colon + 1)..] };
    }

    /// <summary>Parses every selector flag.</summary>
    /// <param name="texts">The flag values.</param>
    /// <returns>The selectors, in flag order.</returns>
    /// <exception cref="CliException">A value has no colon.</exception>
    public static List<Selector> ParseAll(IEnumerable<string> texts) => texts.Select(Parse).ToList();

    /// <summary>Parses <c>-matchSelectorsOn</c>.</summary>
    /// <param name="text"><c>exact</c>, <c>any</c>, <c>superset</c> or <c>subset</c>.</param>
    /// <returns>The match behaviour.</returns>
    /// <exception cref="CliException">The text is none of those.</exception>
    public static SelectorMatch.Types.MatchBehavior ParseMatch(string? text) => text switch
    {
        "exact" => SelectorMatch.Types.MatchBehavior.MatchExact,
        "any" => SelectorMatch.Types.MatchBehavior.MatchAny,
        "superset" => SelectorMatch.Types.MatchBehavior.MatchSuperset,
        "subset" => SelectorMatch.Types.MatchBehavior.MatchSubset,
        _ => throw new CliException($"match behavior \"{text}\" unknown"),
    };

    /// <summary>Parses <c>-matchFederatesWithOn</c>.</summary>
    /// <param name="text"><c>exact</c>, <c>any</c>, <c>superset</c> or <c>subset</c>.</param>
    /// <returns>The match behaviour.</returns>
    /// <exception cref="CliException">The text is none of those.</exception>
    public static FederatesWithMatch.Types.MatchBehavior ParseFederatesWithMatch(string? text) => text switch
    {
        "exact" => FederatesWithMatch.Types.MatchBehavior.MatchExact,
        "any" => FederatesWithMatch.Types.MatchBehavior.MatchAny,
        "superset" => FederatesWithMatch.Types.MatchBehavior.MatchSuperset,
        "subset" => FederatesWithMatch.Types.MatchBehavior.MatchSubset,
        _ => throw new CliException($"match behavior \"{text}\" unknown"),
    };
}
