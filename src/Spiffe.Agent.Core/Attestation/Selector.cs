using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Agent.Core.Attestation;

/// <summary>
/// A workload or node selector: a <see cref="Type"/> (the attestor that produced it, such as <c>unix</c>) and a
/// <see cref="Value"/> (such as <c>uid:1000</c>). Operators write it as <c>type:value</c>; the string form splits at
/// the first colon, so <c>unix:uid:1000</c> is type <c>unix</c>, value <c>uid:1000</c>.
/// </summary>
/// <remarks>
/// Equality and ordering are ordinal on both parts, as SPIRE compares selectors byte for byte. The type is never
/// empty and never contains a colon; the value is never empty (SPIRE's agent drops such selectors).
/// </remarks>
internal sealed record Selector : IComparable<Selector>
{
    /// <summary>Creates a selector, validating both parts.</summary>
    /// <param name="type">The selector type; not empty and without <c>:</c>.</param>
    /// <param name="value">The selector value; not empty (it may contain <c>:</c>).</param>
    /// <exception cref="ArgumentException">The type or value is not valid.</exception>
    public Selector(string type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsValidType(type))
        {
            throw new ArgumentException("selector type must be non-empty and must not contain ':'", nameof(type));
        }

        if (value.Length == 0)
        {
            throw new ArgumentException("selector value must be non-empty", nameof(value));
        }

        Type = type;
        Value = value;
    }

    /// <summary>The selector type, e.g. <c>unix</c>.</summary>
    public string Type { get; }

    /// <summary>The selector value, e.g. <c>uid:1000</c>.</summary>
    public string Value { get; }

    /// <summary>Parses <c>type:value</c>, splitting at the first colon.</summary>
    /// <exception cref="FormatException">The text has no colon, or either part is empty.</exception>
    public static Selector Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var selector)
            ? selector
            : throw new FormatException("selector must have the form type:value with a non-empty type and value");
    }

    /// <summary>Parses <c>type:value</c>, splitting at the first colon; false when the text is not a selector.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Selector? selector)
    {
        selector = null;
        if (text is null)
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        selector = new Selector(text[..colon], text[(colon + 1)..]);
        return true;
    }

    /// <summary>Orders by type, then value, both ordinal.</summary>
    public int CompareTo(Selector? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byType = string.CompareOrdinal(Type, other.Type);
        return byType != 0 ? byType : string.CompareOrdinal(Value, other.Value);
    }

    /// <summary>Returns <c>type:value</c>.</summary>
    public override string ToString() => string.Concat(Type, ":", Value);

    private static bool IsValidType(string type) => type.Length > 0 && !type.Contains(':', StringComparison.Ordinal);
}
