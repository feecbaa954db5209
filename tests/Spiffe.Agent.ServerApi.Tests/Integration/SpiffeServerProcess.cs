using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.ServerApi.Tests.Integration;

/// <summary>
/// The real <c>spiffe-server</c> (built next to this test assembly) running as a child process on a free loopback port
/// with a private admin socket, join_token and x509pop attestation, and helpers that run its operator CLI.
/// </summary>
internal sealed class SpiffeServerProcess : IAsyncDisposable
{
    public static readonly TrustDomain TrustDomain = TrustDomain.Parse("example.org");

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _server;
    private readonly StringBuilder _serverOutput = new();

    private SpiffeServerProcess(string directory, int port, TestCa popCa, Process server)
    {
        Directory = directory;
        Port = port;
        PopCa = popCa;
        _server = server;
        _server.OutputDataReceived += (_, e) => Append(e.Data);
        _server.ErrorDataReceived += (_, e) => Append(e.Data);
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
    }

    public string Directory { get; }

    public int Port { get; }

    public string SocketPath => Path.Combine(Directory, "api.sock");

    /// <summary>The CA x509pop node certificates must chain to.</summary>
    public TestCa PopCa { get; }

    public string Output
    {
        get
        {
            lock (_serverOutput)
            {
                return _serverOutput.ToString();
            }
        }
    }

    public static async Task<SpiffeServerProcess> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("spiffe-it-").FullName;
        var popCa = TestCa.CreateRoot(TrustDomain.Parse("nodes.example"), TimeProvider.System.GetUtcNow(), new TestCertificateOptions { NotAfter = TimeProvider.System.GetUtcNow().AddDays(2) });
        var popBundle = Path.Combine(directory, "pop-ca.pem");
        await File.WriteAllTextAsync(popBundle, popCa.RootCertificate.ExportCertificatePem());
        var port = FreePort();
        var config = Path.Combine(directory, "server.conf");
        await File.WriteAllTextAsync(config, $$"""
            server {
                bind_address = "127.0.0.1"
                bind_port = "{{port}}"
                socket_path = "{{Path.Combine(directory, "api.sock")}}"
                trust_domain = "{{TrustDomain.Name}}"
                data_dir = "{{directory}}"
                log_level = "WARN"
                default_x509_svid_ttl = "1h"
                default_jwt_svid_ttl = "5m"
            }

            plugins {
                DataStore "sql" {
                    plugin_data {
                        database_type = "sqlite3"
                        connection_string = "{{Path.Combine(directory, "datastore.sqlite3")}}"
                    }
                }

                KeyManager "memory" {
                    plugin_data {}
                }

                NodeAttestor "join_token" {
                    plugin_data {}
                }

                NodeAttestor "x509pop" {
                    plugin_data {
                        ca_bundle_path = "{{popBundle}}"
                    }
                }
            }
            """);
        var process = new SpiffeServerProcess(directory, port, popCa, Start("run", "-config", config));
        await process.WaitUntilHealthyAsync();
        return process;
    }

    /// <summary>Runs an operator command against this server's socket; fails the test when it fails.</summary>
    public async Task<string> RunCliAsync(params string[] args)
    {
        using var command = Start([.. args, "-socketPath", SocketPath]);
        command.StandardInput.Close();
        var stdout = command.StandardOutput.ReadToEndAsync();
        var stderr = command.StandardError.ReadToEndAsync();
        await command.WaitForExitAsync().WaitAsync(s_commandTimeout);
        Assert.That(command.ExitCode, Is.Zero, $"spiffe-server {string.Join(' ', args)}: {await stderr}");
        return await stdout;
    }

    public async Task<string> GenerateJoinTokenAsync()
    {
        var output = await RunCliAsync("token", "generate", "-ttl", "600");
        var line = output.Split('\n')[0];
        Assert.That(line, Does.StartWith("Token: "));
        return line["Token: ".Length..];
    }

    public async Task<X509Bundle> BundleAsync() =>
        X509Bundle.Parse(TrustDomain, await RunCliAsync("bundle", "show", "-format", "pem"));

    /// <summary>Creates entries from a <c>-data</c> document (written to a file).</summary>
    public async Task CreateEntriesAsync(string dataJson)
    {
        var path = Path.Combine(Directory, $"entries-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, dataJson);
        await RunCliAsync("entry", "create", "-data", path);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync().WaitAsync(s_commandTimeout);
        }

        _server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ServerDll()
    {
        // This assembly lives in <artifacts>/bin/Spiffe.Agent.ServerApi.Tests/<configuration>/; the server in
        // <artifacts>/bin/Spiffe.Server.Cli/<configuration>/ (built through the ProjectReference).
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDirectory.Parent!.Parent!.FullName, "Spiffe.Server.Cli", testDirectory.Name, "spiffe-server.dll");
        Assert.That(File.Exists(dll), Is.True, "built spiffe-server not found at " + dll);
        return dll;
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_serverOutput)
            {
                _serverOutput.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = TimeProvider.System.GetUtcNow() + s_commandTimeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (_server.HasExited)
            {
                Assert.Fail($"spiffe-server exited with {_server.ExitCode.ToString(CultureInfo.InvariantCulture)}: {Output}");
            }

            if (File.Exists(SocketPath) && await CanConnectAsync())
            {
                using var check = Start("healthcheck", "-socketPath", SocketPath);
                await check.WaitForExitAsync().WaitAsync(s_commandTimeout);
                if (check.ExitCode == 0)
                {
                    return;
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        Assert.Fail("spiffe-server did not become healthy: " + Output);
    }

    private async Task<bool> CanConnectAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
