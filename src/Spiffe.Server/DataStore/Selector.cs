namespace Spiffe.Server.DataStore;

/// <summary>
/// A selector as SPIRE stores it: <c>type:value</c>, split at the first colon. The type is non-empty and has no colon;
/// the value is non-empty (it may contain colons, e.g. <c>x509pop:subject:cn:host</c> is type <c>x509pop</c>).
/// </summary>
/// <param name="Type">The selector type, e.g. <c>unix</c>.</param>
/// <param name="Value">The selector value, e.g. <c>uid:1000</c>.</param>
internal sealed record Selector(string Type, string Value) : IComparable<Selector>
{
    /// <summary>Validates a selector; returns an error message or <see langword="null"/>.</summary>
    public static string? Validate(string? type, string? value)
    {
        if (string.IsNullOrEmpty(type))
        {
            return "selector type is empty";
        }

        if (type.Contains(':', StringComparison.Ordinal))
        {
            return "selector type contains ':'";
        }

        return string.IsNullOrEmpty(value) ? "selector value is empty" : null;
    }

    /// <summary>Parses <c>type:value</c>, splitting at the first colon.</summary>
    /// <exception cref="FormatException">The text is not a valid selector.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException("selector \"" + text + "\" must be type:value");
        }

        var type = text[..colon];
        var value = text[(colon + 1)..];
        var error = Validate(type, value);
        return error is null ? new Selector(type, value) : throw new FormatException(error);
    }

    /// <inheritdoc />
    public int CompareTo(Selector? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byType = string.CompareOrdinal(Type, other.Type);
        return byType != 0 ? byType : string.CompareOrdinal(Value, other.Value);
    }

    /// <summary>Formats as <c>type:value</c>.</summary>
    public override string ToString() => Type + ":" + Value;
}
