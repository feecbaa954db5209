using System.Globalization;
using System.Text.RegularExpressions;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>The real <c>spiffe-server</c> as a child process: temp config, temp data dir, a free port, its operator CLI.</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    public const string TrustDomain = "example.org";

    private readonly TestDirectory _directory;
    private ChildProcess? _process;

    public ServerProcess(TestDirectory directory, string extraServerSettings = "")
    {
        _directory = directory;
        Port = FreePort.Next();
        SocketPath = directory.Combine("server.sock");
        ConfigPath = directory.Combine("server.conf");
        LogPath = directory.Combine("server.log");
        var data = directory.Combine("server");
        File.WriteAllText(ConfigPath, $$"""
            server {
                bind_address = "127.0.0.1"
                bind_port = "{{Port.ToString(CultureInfo.InvariantCulture)}}"
                socket_path = "{{SocketPath}}"
                trust_domain = "{{TrustDomain}}"
                data_dir = "{{data}}"
                log_level = "DEBUG"
                ca_key_type = "ec-p256"
                ca_ttl = "24h"
                default_x509_svid_ttl = "1h"
                default_jwt_svid_ttl = "5m"
                {{extraServerSettings}}
            }

            plugins {
                DataStore "sql" {
                    plugin_data {
                        database_type = "sqlite3"
                        connection_string = "{{data}}/datastore.sqlite3"
                    }
                }

                KeyManager "disk" {
                    plugin_data {
                        keys_path = "{{data}}/keys.json"
                    }
                }

                NodeAttestor "join_token" {
                    plugin_data {}
                }
            }
            """);
    }

    public int Port { get; }

    public string SocketPath { get; }

    public string ConfigPath { get; }

    public string LogPath { get; }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    public static string AgentIdFor(string joinToken) => $"spiffe://{TrustDomain}/spire/agent/join_token/{joinToken}";

    public async Task StartAsync()
    {
        _process = ChildProcess.Start("dotnet", [TestArtifacts.ServerDll, "run", "-config", ConfigPath], LogPath, workingDirectory: _directory.Path);
        using var channel = UnixSocketChannel.Create(SocketPath);
        var health = new Health.HealthClient(channel);
        await Eventually.WaitAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException("spiffe-server exited: " + _process.Error + _process.Output);
                }

                if (!File.Exists(SocketPath))
                {
                    return false;
                }

                var response = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync;
                return response.Status == HealthCheckResponse.Types.ServingStatus.Serving;
            },
            "spiffe-server to become healthy");
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync().DefaultTimeout();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async Task<string> GenerateTokenAsync()
    {
        var output = await CliAsync("token", "generate", "-ttl", "600");
        return TokenLine().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no token in: " + output);
    }

    public async Task<string> CreateEntryAsync(string parentId, string spiffeId, IEnumerable<string> selectors, int? x509SvidTtl = null, int? jwtSvidTtl = null, string? hint = null, bool admin = false)
    {
        List<string> arguments = ["entry", "create", "-parentID", parentId, "-spiffeID", spiffeId];
        if (admin)
        {
            arguments.Add("-admin");
        }

        foreach (var selector in selectors)
        {
            arguments.AddRange(["-selector", selector]);
        }

        if (x509SvidTtl is { } x509)
        {
            arguments.AddRange(["-x509SVIDTTL", x509.ToString(CultureInfo.InvariantCulture)]);
        }

        if (jwtSvidTtl is { } jwt)
        {
            arguments.AddRange(["-jwtSVIDTTL", jwt.ToString(CultureInfo.InvariantCulture)]);
        }

        if (hint is not null)
        {
            arguments.AddRange(["-hint", hint]);
        }

        var output = await CliAsync([.. arguments]);
        return EntryIdLine().Match(output) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no entry ID in: " + output);
    }

    public Task<string> BundlePemAsync() => CliAsync("bundle", "show");

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    private async Task<string> CliAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await ChildProcess.RunDotnetAsync(TestArtifacts.ServerDll, [.. arguments, "-socketPath", SocketPath]);
        return exitCode == 0 ? output : throw new InvalidOperationException($"spiffe-server {string.Join(' ', arguments)} exited {exitCode}: {error}{output}");
    }

    [GeneratedRegex(@"^Token:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex TokenLine();

    [GeneratedRegex(@"^Entry ID\s*:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex EntryIdLine();
}
