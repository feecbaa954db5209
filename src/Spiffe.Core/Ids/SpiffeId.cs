using System.Diagnostics.CodeAnalysis;

namespace Spiffe.Core;

/// <summary>
/// A SPIFFE ID, <c>spiffe://trust-domain/path</c>. Values are validated on construction against the full
/// grammar of the SPIFFE ID standard and compared by exact string (the trust domain is always lowercase, the
/// path is case-sensitive). The default value is the zero ID (<see cref="IsZero"/>).
/// </summary>
public readonly record struct SpiffeId
{
    private readonly string? path;

    private SpiffeId(TrustDomain trustDomain, string path)
    {
        this.TrustDomain = trustDomain;
        this.path = path;
    }

    /// <summary>The trust domain of the ID.</summary>
    public TrustDomain TrustDomain { get; }

    /// <summary>The path, starting with <c>/</c>, or empty for a root-path (trust domain) ID.</summary>
    public string Path => this.path ?? string.Empty;

    /// <summary>
    /// Whether the path is empty (<c>spiffe://example.org</c>). Such an ID names a trust domain and is never
    /// valid as the identity of an SVID.
    /// </summary>
    public bool IsRootPath => this.Path.Length == 0;

    /// <summary>Whether this is the default (zero) value, which names nothing.</summary>
    public bool IsZero => this.TrustDomain.IsZero;

    /// <summary>Parses a SPIFFE ID.</summary>
    /// <param name="id">The ID, for example <c>spiffe://example.org/web</c>.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="SpiffeIdException">The string breaks the SPIFFE ID grammar; the message names the rule.</exception>
    public static SpiffeId Parse(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var error = SpiffeIdGrammar.SplitId(id, out var td, out var path);
        return error is null
            ? new SpiffeId(TrustDomain.FromValidatedName(td), path)
            : throw new SpiffeIdException("invalid SPIFFE ID: " + error);
    }

    /// <summary>Parses a SPIFFE ID as <see cref="Parse"/> does, without throwing.</summary>
    /// <param name="id">The ID.</param>
    /// <param name="result">The ID, or the zero value when parsing fails.</param>
    /// <returns>Whether <paramref name="id"/> was valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? id, out SpiffeId result)
    {
        result = default;
        if (id is null || SpiffeIdGrammar.SplitId(id, out var td, out var path) is not null)
        {
            return false;
        }

        result = new SpiffeId(TrustDomain.FromValidatedName(td), path);
        return true;
    }

    /// <summary>Creates an ID from a trust domain and a path.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="path">The path, starting with <c>/</c>, or empty for the trust domain's own ID.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    /// <exception cref="SpiffeIdException">The path or the resulting ID breaks the grammar.</exception>
    public static SpiffeId FromPath(TrustDomain trustDomain, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireTrustDomain(trustDomain);
        var error = SpiffeIdGrammar.ValidatePath(path);
        return error is null
            ? Create(trustDomain, path)
            : throw new SpiffeIdException("invalid SPIFFE ID path \"" + path + "\": " + error);
    }

    /// <summary>Creates an ID from a trust domain and path segments, which are joined with <c>/</c>.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <param name="segments">The segments, each matching <c>[A-Za-z0-9._-]+</c> and not <c>.</c> or <c>..</c>;
    /// none for the trust domain's own ID.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="ArgumentException"><paramref name="trustDomain"/> is the zero value.</exception>
    /// <exception cref="SpiffeIdException">A segment or the resulting ID breaks the grammar.</exception>
    public static SpiffeId FromSegments(TrustDomain trustDomain, params ReadOnlySpan<string> segments)
    {
        RequireTrustDomain(trustDomain);
        var path = string.Empty;
        foreach (var segment in segments)
        {
            ArgumentNullException.ThrowIfNull(segment, nameof(segments));
            var error = SpiffeIdGrammar.ValidateSegment(segment);
            if (error is not null)
            {
                throw new SpiffeIdException("invalid SPIFFE ID path segment \"" + segment + "\": " + error);
            }

            path += "/" + segment;
        }

        return Create(trustDomain, path);
    }

    /// <summary>Whether the ID belongs to the given trust domain.</summary>
    /// <param name="trustDomain">The trust domain.</param>
    /// <returns><see langword="true"/> when the trust domains are equal and this ID is not the zero value.</returns>
    public bool MemberOf(TrustDomain trustDomain) => !this.IsZero && this.TrustDomain == trustDomain;

    /// <summary>Returns the ID as a string, <c>spiffe://trust-domain/path</c>, or empty for the zero value.</summary>
    /// <returns>The ID string.</returns>
    public override string ToString() => this.IsZero ? string.Empty : this.TrustDomain.IdString + this.Path;

    private static SpiffeId Create(TrustDomain trustDomain, string path)
    {
        var id = new SpiffeId(trustDomain, path);
        var length = SpiffeIdGrammar.Scheme.Length + trustDomain.Name.Length + path.Length;
        return length <= SpiffeIdGrammar.MaxIdBytes
            ? id
            : throw new SpiffeIdException($"invalid SPIFFE ID: longer than {SpiffeIdGrammar.MaxIdBytes} bytes");
    }

    private static void RequireTrustDomain(TrustDomain trustDomain)
    {
        if (trustDomain.IsZero)
        {
            throw new ArgumentException("the trust domain is the zero value", nameof(trustDomain));
        }
    }
}
