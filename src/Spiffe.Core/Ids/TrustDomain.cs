using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>
/// A SPIFFE trust domain name such as <c>example.org</c>. Values are validated on construction: lowercase
/// <c>[a-z0-9._-]</c>, DNS-label shape and at most 255 bytes. The default value is the zero trust domain
/// (<see cref="IsZero"/>), which is not valid anywhere a trust domain is required.
/// </summary>
public readonly record struct TrustDomain
{
    private readonly string? name;

    private TrustDomain(string name)
    {
        this.name = name;
    }

    /// <summary>The trust domain name, for example <c>example.org</c>; empty for the zero value.</summary>
    public string Name => this.name ?? string.Empty;

    /// <summary>Whether this is the default (zero) value, which names no trust domain.</summary>
    public bool IsZero => this.name is null;

    /// <summary>The SPIFFE ID of the trust domain itself, <c>spiffe://name</c> (a root-path ID).</summary>
    /// <exception cref="InvalidOperationException">The trust domain is the zero value.</exception>
    public SpiffeId Id => this.IsZero
        ? throw new InvalidOperationException("the trust domain is the zero value")
        : SpiffeId.FromPath(this, string.Empty);

    /// <summary>The string form of <see cref="Id"/>, <c>spiffe://name</c>, or empty for the zero value.</summary>
    public string IdString => this.IsZero ? string.Empty : SpiffeIdGrammar.Scheme + this.name;

    /// <summary>
    /// Parses a trust domain from either a bare name (<c>example.org</c>) or a SPIFFE ID
    /// (<c>spiffe://example.org/any/path</c>), whose trust domain is taken.
    /// </summary>
    /// <param name="value">The name or SPIFFE ID.</param>
    /// <returns>The trust domain.</returns>
    /// <exception cref="SpiffeIdException">The value breaks the SPIFFE ID grammar.</exception>
    public static TrustDomain Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var error = TryCreate(value, out var result);
        return error is null ? result : throw new SpiffeIdException("invalid trust domain \"" + value + "\": " + error);
    }

    /// <summary>Parses a trust domain as <see cref="Parse"/> does, without throwing.</summary>
    /// <param name="value">The name or SPIFFE ID.</param>
    /// <param name="result">The trust domain, or the zero value when parsing fails.</param>
    /// <returns>Whether <paramref name="value"/> was valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out TrustDomain result)
    {
        result = default;
        return value is not null && TryCreate(value, out result) is null;
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The trust domain name.</returns>
    public override string ToString() => this.Name;

    private static string? TryCreate(string value, out TrustDomain result)
    {
        result = default;
        if (value.Contains(":/", StringComparison.Ordinal))
        {
            var idError = SpiffeIdGrammar.SplitId(value, out var td, out _);
            if (idError is null)
            {
                result = new TrustDomain(td);
            }

            return idError;
        }

        var error = SpiffeIdGrammar.ValidateTrustDomainName(value);
        if (error is null)
        {
            result = new TrustDomain(value);
        }

        return error;
    }

    internal static TrustDomain FromValidatedName(string name) => new(name);
}
