using System.Text;

namespace Spiffe.Core;

/// <summary>
/// The SPIFFE ID grammar. Every method returns <see langword="null"/> when the input is valid and otherwise a
/// message naming the broken rule, so that both throwing and Try* entry points share one implementation.
/// The input is never passed through <see cref="Uri"/>, which would silently rewrite it.
/// </summary>
internal static class SpiffeIdGrammar
{
    public const string Scheme = "spiffe://";
    public const int MaxIdBytes = 2048;
    public const int MaxTrustDomainBytes = 255;

    public static string? SplitId(string id, out string trustDomain, out string path)
    {
        trustDomain = string.Empty;
        path = string.Empty;
        if (id.Length == 0)
        {
            return "SPIFFE ID is empty";
        }

        if (Encoding.UTF8.GetByteCount(id) > MaxIdBytes)
        {
            return $"SPIFFE ID is longer than {MaxIdBytes} bytes";
        }

        if (!id.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return id.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
                ? "scheme must be the lowercase \"spiffe://\""
                : "scheme must be \"spiffe://\"";
        }

        var rest = id.AsSpan(Scheme.Length);
        var slash = rest.IndexOf('/');
        var tdSpan = slash < 0 ? rest : rest[..slash];
        var pathSpan = slash < 0 ? ReadOnlySpan<char>.Empty : rest[slash..];

        var error = ValidateTrustDomainName(tdSpan);
        if (error is not null)
        {
            return error;
        }

        error = ValidatePath(pathSpan);
        if (error is not null)
        {
            return error;
        }

        trustDomain = tdSpan.ToString();
        path = pathSpan.ToString();
        return null;
    }

    public static string? ValidateTrustDomainName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return "trust domain is missing";
        }

        if (name[0] == '[')
        {
            return "trust domain must not be an IPv6 literal";
        }

        foreach (var c in name)
        {
            var error = c switch
            {
                >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '-' or '_' => null,
                >= 'A' and <= 'Z' => "trust domain must be lowercase",
                '@' => "trust domain must not contain userinfo",
                ':' => "trust domain must not contain a port",
                '%' => "percent-encoding is not allowed",
                '?' => "query is not allowed",
                '#' => "fragment is not allowed",
                _ => "trust domain characters are limited to lowercase letters, digits, '.', '-' and '_'",
            };
            if (error is not null)
            {
                return error;
            }
        }

        if (name[0] == '.' || name[^1] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return "trust domain labels must not be empty (no leading, trailing or consecutive dots)";
        }

        if (name.Length > MaxTrustDomainBytes)
        {
            return $"trust domain is longer than {MaxTrustDomainBytes} bytes";
        }

        return null;
    }

    public static string? ValidatePath(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return null;
        }

        if (path[0] != '/')
        {
            return "path must start with '/'";
        }

        var remaining = path[1..];
        while (true)
        {
            var slash = remaining.IndexOf('/');
            var segment = slash < 0 ? remaining : remaining[..slash];
            if (segment.IsEmpty)
            {
                return slash < 0 ? "path must not end with '/'" : "path must not contain empty segments";
            }

            var error = ValidateSegment(segment);
            if (error is not null)
            {
                return error;
            }

            if (slash < 0)
            {
                return null;
            }

            remaining = remaining[(slash + 1)..];
        }
    }

    public static string? ValidateSegment(ReadOnlySpan<char> segment)
    {
        if (segment.IsEmpty)
        {
            return "path must not contain empty segments";
        }

        if (segment is "." or "..")
        {
            return "path must not contain '.' or '..' segments";
        }

        foreach (var c in segment)
        {
            var error = c switch
            {
                >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '_' => null,
                '%' => "percent-encoding is not allowed",
                '?' => "query is not allowed",
                '#' => "fragment is not allowed",
                '/' => "path segment must not contain '/'",
                _ => "path segment characters are limited to letters, digits, '.', '-' and '_'",
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }
}
