using System.Globalization;

namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>The real <c>spiffe-agent run</c> as a child process against a <see cref="ServerProcess"/>, with a 1 s sync interval.</summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    private readonly TestDirectory _directory;
    private ChildProcess? _process;

    public AgentProcess(TestDirectory directory, ServerProcess server, string bootstrapPem, string extraAgentSettings = "", string extraBlocks = "")
    {
        _directory = directory;
        SocketPath = directory.Combine("public", "api.sock");
        ConfigPath = directory.Combine("agent.conf");
        LogPath = directory.Combine("agent.log");
        var bundlePath = directory.Combine("bootstrap.crt");
        var data = directory.Combine("agent");
        File.WriteAllText(bundlePath, bootstrapPem);
        File.WriteAllText(ConfigPath, $$"""
            agent {
                trust_domain = "{{ServerProcess.TrustDomain}}"
                server_address = "127.0.0.1"
                server_port = "{{server.Port.ToString(CultureInfo.InvariantCulture)}}"
                trust_bundle_path = "{{bundlePath}}"
                data_dir = "{{data}}"
                socket_path = "{{SocketPath}}"
                log_level = "DEBUG"
                {{extraAgentSettings}}
                experimental {
                    sync_interval = "1s"
                }
            }

            plugins {
                NodeAttestor "join_token" {
                    plugin_data {}
                }

                KeyManager "disk" {
                    plugin_data {
                        directory = "{{data}}"
                    }
                }

                WorkloadAttestor "unix" {
                    plugin_data {}
                }
            }

            {{extraBlocks}}
            """);
    }

    public string SocketPath { get; }

    public string ConfigPath { get; }

    public string LogPath { get; }

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>Starts the agent (with a join token on first start) and waits until its health check says SERVING.</summary>
    public async Task StartAsync(string? joinToken)
    {
        List<string> arguments = [TestArtifacts.AgentDll, "run", "-config", ConfigPath];
        if (joinToken is not null)
        {
            arguments.AddRange(["-joinToken", joinToken]);
        }

        _process = ChildProcess.Start("dotnet", arguments, LogPath, workingDirectory: _directory.Path);
        using var client = new WorkloadClient(SocketPath);
        await Eventually.WaitAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"spiffe-agent exited with {_process.ExitCode}: {_process.Error}");
                }

                return File.Exists(SocketPath) && await client.IsServingAsync();
            },
            "spiffe-agent to become healthy");
    }

    /// <summary>Stops the agent with SIGTERM and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not started");
        await process.TerminateAsync();
        var exitCode = await process.WaitForExitAsync().DefaultTimeout();
        await process.DisposeAsync();
        _process = null;
        return exitCode;
    }

    /// <summary>Runs an agent CLI verb against this agent's socket, optionally under another uid.</summary>
    public Task<(int ExitCode, string Output, string Error)> CliAsync(int? uid, params string[] arguments) =>
        ChildProcess.RunDotnetAsync(TestArtifacts.AgentDll, [.. arguments, "-socketPath", SocketPath], uid);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }
}
