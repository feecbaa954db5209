using System.CommandLine;
using Spiffe.Agent.Endpoints;
using Spiffe.Configuration;
using Spiffe.WorkloadApi;

namespace Spiffe.Agent.Commands;

/// <summary>
/// The flags every client verb shares: <c>-socketPath</c> (else <c>SPIFFE_ENDPOINT_SOCKET</c>, else the default
/// socket), <c>-timeout</c> (a Go duration, default 5s) and <c>-output pretty|json</c>.
/// </summary>
internal sealed class ClientOptions
{
    /// <summary>The default <c>-timeout</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    private readonly Option<string?> _socketPath = new("-socketPath", "--socketPath")
    {
        Description = $"Path to the SPIFFE Workload API socket (default: ${WorkloadApiAddress.EnvironmentVariable}, else {WorkloadEndpointOptions.DefaultSocketPath})",
    };

    private readonly Option<TimeSpan> _timeout = new("-timeout", "--timeout")
    {
        Description = "Time to wait for a response, e.g. 5s",
        DefaultValueFactory = _ => DefaultTimeout,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"invalid -timeout \"{text}\": expected a positive duration such as 5s or 500ms");
            return default;
        },
    };

    private readonly Option<string> _output = new("-output", "--output")
    {
        Description = "Desired output format (pretty, json)",
        DefaultValueFactory = _ => "pretty",
    };

    /// <summary>Creates the options.</summary>
    public ClientOptions(bool withTimeout = true)
    {
        _output.AcceptOnlyFromAmong("pretty", "json");
        WithTimeout = withTimeout;
    }

    private bool WithTimeout { get; }

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_socketPath);
        if (WithTimeout)
        {
            command.Options.Add(_timeout);
        }

        command.Options.Add(_output);
    }

    /// <summary>The Workload API address: <c>-socketPath</c>, else <c>SPIFFE_ENDPOINT_SOCKET</c>, else the default socket.</summary>
    public string Address(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.GetValue(_socketPath) is { Length: > 0 } socketPath)
        {
            return "unix://" + Path.GetFullPath(socketPath);
        }

        return Environment.GetEnvironmentVariable(WorkloadApiAddress.EnvironmentVariable) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : "unix://" + WorkloadEndpointOptions.DefaultSocketPath;
    }

    /// <summary>The Unix socket path to dial (for the health check, which is not a Workload API client).</summary>
    /// <exception cref="ArgumentException">The address is not a Unix socket.</exception>
    public string SocketPath(ParseResult parseResult)
    {
        var address = WorkloadApiAddress.Parse(Address(parseResult));
        return address.UnixSocketPath ?? throw new ArgumentException($"the agent's health can only be checked over a Unix socket, not {address}");
    }

    /// <summary>The <c>-timeout</c> value.</summary>
    public TimeSpan Timeout(ParseResult parseResult) => WithTimeout ? parseResult.GetValue(_timeout) : System.Threading.Timeout.InfiniteTimeSpan;

    /// <summary>True for <c>-output json</c>.</summary>
    public bool IsJson(ParseResult parseResult) => parseResult.GetValue(_output) == "json";

    /// <summary>
    /// Creates a Workload API client for the resolved address. For a one-shot call, a Unix socket that does not exist
    /// fails here with SPIRE's wording rather than with the transport's "cannot assign requested address".
    /// </summary>
    /// <exception cref="IOException">The socket does not exist and <paramref name="requireSocket"/> is set.</exception>
    public WorkloadApiClient CreateClient(ParseResult parseResult, bool requireSocket = true)
    {
        var address = Address(parseResult);
        if (requireSocket && WorkloadApiAddress.TryParse(address, out var parsed) && parsed.UnixSocketPath is { } path && !File.Exists(path))
        {
            throw new IOException($"rpc error: code = Unavailable desc = connection error: dial unix {path}: connect: no such file or directory");
        }

        return WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = address });
    }
}
