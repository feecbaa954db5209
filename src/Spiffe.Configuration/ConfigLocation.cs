namespace Spiffe.Configuration;

/// <summary>Where a configuration node starts: the file name as given to the parser, a 1-based line and column.</summary>
internal readonly record struct ConfigLocation(string File, int Line, int Column)
{
    /// <summary>Formats as <c>file:line:column</c>.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
