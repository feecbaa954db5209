namespace Spiffe.Configuration;

/// <summary>A token: its kind, its text (strings unescaped, heredocs without markers) and where it starts.</summary>
internal readonly record struct HclToken(HclTokenKind Kind, string Text, ConfigLocation Location)
{
    /// <summary>Describes the token for an error message, e.g. <c>'='</c>, <c>string "x"</c>, <c>end of file</c>.</summary>
    public string Describe() => Kind switch
    {
        HclTokenKind.Identifier => $"identifier {Text}",
        HclTokenKind.String => $"string \"{Text}\"",
        HclTokenKind.Number => $"number {Text}",
        HclTokenKind.Bool => Text,
        HclTokenKind.EndOfFile => "end of file",
        _ => $"'{Text}'",
    };
}
