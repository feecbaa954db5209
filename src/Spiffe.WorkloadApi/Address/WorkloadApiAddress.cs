using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Spiffe.WorkloadApi;

/// <summary>
/// The address of a SPIFFE Workload API endpoint, validated as the SPIFFE Workload Endpoint standard requires:
/// <c>unix:///absolute/path</c> (also <c>unix:/absolute/path</c>) with no authority, query, fragment or user
/// info; or <c>tcp://ip:port</c> whose host is an IP literal, with a port and nothing else.
/// </summary>
public sealed class WorkloadApiAddress
{
    /// <summary>The environment variable that holds the default address, <c>SPIFFE_ENDPOINT_SOCKET</c>.</summary>
    public const string EnvironmentVariable = "SPIFFE_ENDPOINT_SOCKET";

    private WorkloadApiAddress(string value, string? unixSocketPath, IPEndPoint? tcpEndPoint)
    {
        this.Value = value;
        this.UnixSocketPath = unixSocketPath;
        this.TcpEndPoint = tcpEndPoint;
    }

    /// <summary>The address as it was given.</summary>
    public string Value { get; }

    /// <summary>The socket file path of a <c>unix</c> address (percent-decoded), or null for a <c>tcp</c> address.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>The IP address and port of a <c>tcp</c> address, or null for a <c>unix</c> address.</summary>
    public IPEndPoint? TcpEndPoint { get; }

    /// <summary>Whether this is a <c>unix</c> address.</summary>
    [MemberNotNullWhen(true, nameof(UnixSocketPath))]
    [MemberNotNullWhen(false, nameof(TcpEndPoint))]
    public bool IsUnixSocket => this.UnixSocketPath is not null;

    /// <summary>Parses and validates an address.</summary>
    /// <param name="address">The address, for example <c>unix:///run/spire/agent.sock</c> or <c>tcp://127.0.0.1:8081</c>.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The address breaks a rule; the message names it.</exception>
    public static WorkloadApiAddress Parse(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var error = TryCreate(address, out var result);
        return error is null ? result! : throw new FormatException($"invalid Workload API address \"{address}\": {error}");
    }

    /// <summary>Parses an address as <see cref="Parse"/> does, without throwing.</summary>
    /// <param name="address">The address.</param>
    /// <param name="result">The address, or null when it is invalid.</param>
    /// <returns>Whether <paramref name="address"/> is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? address, [NotNullWhen(true)] out WorkloadApiAddress? result)
    {
        result = null;
        return address is not null && TryCreate(address, out result) is null;
    }

    /// <summary>Reads and validates the address in <see cref="EnvironmentVariable"/>.</summary>
    /// <returns>The address, or null when the variable is unset or empty.</returns>
    /// <exception cref="FormatException">The variable holds an invalid address; the message names the rule.</exception>
    public static WorkloadApiAddress? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrEmpty(value) ? null : Parse(value);
    }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The address as it was given.</returns>
    public override string ToString() => this.Value;

    private static string? TryCreate(string address, out WorkloadApiAddress? result)
    {
        result = null;
        var colon = address.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsValidScheme(address.AsSpan(0, colon)))
        {
            return "missing scheme: use unix:///path/to/socket or tcp://ip:port";
        }

        var scheme = address[..colon].ToLowerInvariant();
        var rest = address[(colon + 1)..];
        if (scheme is not ("unix" or "tcp"))
        {
            return $"scheme must be \"unix\" or \"tcp\", not \"{scheme}\"";
        }

        if (rest.Contains('#', StringComparison.Ordinal))
        {
            return $"{scheme} socket URI must not include a fragment";
        }

        if (rest.Contains('?', StringComparison.Ordinal))
        {
            return $"{scheme} socket URI must not include a query";
        }

        string? authority = null;
        var path = rest;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var slash = rest.IndexOf('/', 2);
            authority = slash < 0 ? rest[2..] : rest[2..slash];
            path = slash < 0 ? string.Empty : rest[slash..];
        }

        if (authority is not null && authority.Contains('@', StringComparison.Ordinal))
        {
            return $"{scheme} socket URI must not include user info";
        }

        return scheme == "unix" ? ParseUnix(address, authority, path, out result) : ParseTcp(address, authority, path, out result);
    }

    private static string? ParseUnix(string address, string? authority, string path, out WorkloadApiAddress? result)
    {
        result = null;
        if (!string.IsNullOrEmpty(authority))
        {
            return "unix socket URI must not include an authority (host); use unix:///absolute/path";
        }

        if (path.Length == 0)
        {
            return "unix socket URI must include a path";
        }

        if (path[0] != '/')
        {
            return "unix socket URI path must be absolute";
        }

        if (!HasValidPercentEncoding(path))
        {
            return "unix socket URI path has an invalid percent-encoding";
        }

        var decoded = Uri.UnescapeDataString(path);
        if (decoded.Contains('\0', StringComparison.Ordinal))
        {
            return "unix socket URI path must not contain a NUL character";
        }

        result = new WorkloadApiAddress(address, decoded, tcpEndPoint: null);
        return null;
    }

    private static string? ParseTcp(string address, string? authority, string path, out WorkloadApiAddress? result)
    {
        result = null;
        if (string.IsNullOrEmpty(authority))
        {
            return "tcp socket URI must include a host: use tcp://ip:port";
        }

        if (path.Length != 0)
        {
            return "tcp socket URI must not include a path";
        }

        string host;
        string? port;
        if (authority[0] == '[')
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "tcp socket URI host has an unterminated IPv6 literal";
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length != 0 && after[0] != ':')
            {
                return "tcp socket URI host must be followed by :port";
            }

            port = after.Length == 0 ? null : after[1..];
            if (!IPAddress.TryParse(host, out _) || !host.Contains(':', StringComparison.Ordinal) || host.Contains('%', StringComparison.Ordinal))
            {
                return "tcp socket URI host must be an IP address, not a hostname";
            }
        }
        else
        {
            var lastColon = authority.LastIndexOf(':');
            host = lastColon < 0 ? authority : authority[..lastColon];
            port = lastColon < 0 ? null : authority[(lastColon + 1)..];
            if (!IsDottedQuad(host))
            {
                return "tcp socket URI host must be an IP address, not a hostname";
            }
        }

        if (string.IsNullOrEmpty(port))
        {
            return "tcp socket URI must include a port";
        }

        if (!port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var portNumber)
            || portNumber is < 1 or > IPEndPoint.MaxPort)
        {
            return "tcp socket URI port must be a number between 1 and 65535";
        }

        result = new WorkloadApiAddress(address, unixSocketPath: null, new IPEndPoint(IPAddress.Parse(host), portNumber));
        return null;
    }

    private static bool IsValidScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDottedQuad(string host)
    {
        var parts = host.Split('.');
        return parts.Length == 4
            && parts.All(part => part.Length is > 0 and <= 3
                && part.All(char.IsAsciiDigit)
                && (part.Length == 1 || part[0] != '0')
                && int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) <= 255)
            && IPAddress.TryParse(host, out var ip)
            && ip.AddressFamily == AddressFamily.InterNetwork;
    }

    private static bool HasValidPercentEncoding(string path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && (i + 2 >= path.Length || !char.IsAsciiHexDigit(path[i + 1]) || !char.IsAsciiHexDigit(path[i + 2])))
            {
                return false;
            }
        }

        return true;
    }
}
