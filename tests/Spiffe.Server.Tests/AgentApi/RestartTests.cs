using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.Tests.Infrastructure;
using AgentClient = Spiffe.Proto.Spire.Server.Agent.V1.Agent.AgentClient;
using BundleClient = Spiffe.Proto.Spire.Server.Bundle.V1.Bundle.BundleClient;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using HealthClient = Spiffe.Proto.Grpc.Health.V1.Health.HealthClient;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class RestartTests
{
    [Test]
    public async Task Restart_InProcess_KeepsEntriesAgentsAndKeys()
    {
        // Arrange
        using var files = new TempDirectory();
        var config = TestServer.DefaultConfig(files.Path);
        await using var server = await TestServer.StartAsync(config);
        var anchors = await server.GetTrustAnchorsAsync();
        var agent = new TestAgent(server, anchors);
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        var entry = await server.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/web"), agent.Id, "unix:uid:1000");
        var caKeyId = server.Ca.ActiveX509CA.KeyId;
        var kid = server.Ca.ActiveJwtKey.Kid;

        // Act
        await server.RestartAsync();
        using var channel = agent.CreateChannel();
        var entries = await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signed = await new SvidClient(channel).BatchNewX509SVIDAsync(new BatchNewX509SVIDRequest
        {
            Params = { new NewX509SVIDParams { EntryId = entry.Id, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
        }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(entries.Entries.Single().Id, Is.EqualTo(entry.Id));
            Assert.That(signed.Results.Single().Status.Code, Is.Zero);
            Assert.That(server.Ca.ActiveX509CA.KeyId, Is.EqualTo(caKeyId));
            Assert.That(server.Ca.ActiveJwtKey.Kid, Is.EqualTo(kid));
        });
    }

    [Test]
    [SupportedOSPlatform("linux")]
    public async Task Restart_ChildProcessKilledWithSigkill_LosesNothingAcknowledged()
    {
        // Arrange
        using var files = new TempDirectory();
        var port = FreePort();
        var configPath = files.File("server.conf");
        await File.WriteAllTextAsync(configPath, ConfigText(files.Path, port)).DefaultTimeout();
        var socket = files.File("api.sock");
        string token;
        TestAgentState agent;
        List<string> entryIds;
        byte[] rootBefore;
        using (var first = StartServer(configPath))
        {
            await WaitHealthyAsync(first, socket);
            using var admin = TestServer.CreateUnixChannel(socket);
            rootBefore = (await new BundleClient(admin).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout()).X509Authorities[0].Asn1.ToByteArray();
            token = (await new AgentClient(admin).CreateJoinTokenAsync(new CreateJoinTokenRequest { Ttl = 600 }).ResponseAsync.DefaultTimeout()).Value;
            agent = await AttestAsync(port, rootBefore, token);
            entryIds = await CreateEntriesAsync(admin, agent.Id, 25);

            // Act: SIGKILL right after the last acknowledged write.
            first.Kill();
            await first.WaitForExitAsync().DefaultTimeout();
        }

        using var second = StartServer(configPath);
        try
        {
            await WaitHealthyAsync(second, socket);
            using var admin = TestServer.CreateUnixChannel(socket);
            var rootAfter = (await new BundleClient(admin).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout()).X509Authorities[0].Asn1.ToByteArray();
            using var channel = CreateChannel(port, rootAfter, agent.Svid);
            var entries = await new EntryClient(channel).GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest()).ResponseAsync.DefaultTimeout();
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var signed = await new SvidClient(channel).BatchNewX509SVIDAsync(new BatchNewX509SVIDRequest
            {
                Params = { new NewX509SVIDParams { EntryId = entryIds[^1], Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
            }).ResponseAsync.DefaultTimeout();
            var reused = Assert.ThrowsAsync<RpcException>(() => AttestAsync(port, rootAfter, token));

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(rootAfter, Is.EqualTo(rootBefore));
                Assert.That(entries.Entries.Select(e => e.Id), Is.EquivalentTo(entryIds));
                Assert.That(signed.Results.Single().Status.Code, Is.Zero);
                Assert.That(reused!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
            });
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync().DefaultTimeout();
        }
    }

    private static string ConfigText(string directory, int port) => $$"""
        server {
            bind_address = "127.0.0.1"
            bind_port = "{{port.ToString(CultureInfo.InvariantCulture)}}"
            socket_path = "{{Path.Combine(directory, "api.sock")}}"
            trust_domain = "example.org"
            data_dir = "{{directory}}"
            log_level = "WARN"
        }

        plugins {
            DataStore "sql" {
                plugin_data {
                    database_type = "sqlite3"
                    connection_string = "{{Path.Combine(directory, "datastore.sqlite3")}}"
                }
            }

            KeyManager "disk" {
                plugin_data {
                    keys_path = "{{Path.Combine(directory, "keys.json")}}"
                }
            }

            NodeAttestor "join_token" {
                plugin_data {}
            }
        }
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Process StartServer(string configPath)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(testDirectory.Parent!.Parent!.FullName, "Spiffe.Server.Cli", testDirectory.Name, "spiffe-server.dll");
        Assert.That(File.Exists(dll), Is.True, "spiffe-server not built at " + dll);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("-config");
        start.ArgumentList.Add(configPath);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthyAsync(Process process, string socket)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TaskTimeoutExtensions.DefaultTimeoutSpan;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            Assert.That(process.HasExited, Is.False, "the server exited");
            if (File.Exists(socket))
            {
                try
                {
                    using var channel = TestServer.CreateUnixChannel(socket);
                    var health = await new HealthClient(channel).CheckAsync(new HealthCheckRequest()).ResponseAsync.DefaultTimeout();
                    if (health.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                    {
                        return;
                    }
                }
                catch (RpcException)
                {
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System).DefaultTimeout();
        }

        Assert.Fail("the server did not become healthy");
    }

    private static async Task<List<string>> CreateEntriesAsync(Grpc.Net.Client.GrpcChannel admin, SpiffeId parent, int count)
    {
        var request = new BatchCreateEntryRequest();
        for (var i = 0; i < count; i++)
        {
            request.Entries.Add(new Proto.Spire.Types.Entry
            {
                SpiffeId = new Proto.Spire.Types.SPIFFEID { TrustDomain = "example.org", Path = "/w/" + i.ToString(CultureInfo.InvariantCulture) },
                ParentId = new Proto.Spire.Types.SPIFFEID { TrustDomain = "example.org", Path = parent.Path },
                Selectors = { new Proto.Spire.Types.Selector { Type = "unix", Value = "uid:" + i.ToString(CultureInfo.InvariantCulture) } },
            });
        }

        var response = await new EntryClient(admin).BatchCreateEntryAsync(request).ResponseAsync.DefaultTimeout();
        Assert.That(response.Results.All(r => r.Status.Code == 0), Is.True, string.Join(", ", response.Results.Select(r => r.Status.Message)));
        return [.. response.Results.Select(r => r.Entry.Id)];
    }

    private static Grpc.Net.Client.GrpcChannel CreateChannel(int port, byte[] root, X509Certificate2? client)
    {
        var anchor = X509CertificateLoader.LoadCertificate(root);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new System.Net.Security.SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.Add(anchor);
                    var leaf = (X509Certificate2)certificate!;
                    return chain.Build(leaf) && Spiffe.Server.Ca.SanEncoder.ReadUris(leaf).SequenceEqual(["spiffe://example.org/spire/server"]);
                },
                ClientCertificates = client is null ? null : [client],
            },
        };
        return Grpc.Net.Client.GrpcChannel.ForAddress($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static async Task<TestAgentState> AttestAsync(int port, byte[] root, string token)
    {
        using var channel = CreateChannel(port, root, null);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var call = new AgentClient(channel).AttestAgent();
        await call.RequestStream.WriteAsync(new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params
            {
                Data = new Proto.Spire.Types.AttestationData { Type = "join_token", Payload = ByteString.CopyFromUtf8(token) },
                Params_ = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) },
            },
        }).DefaultTimeout();
        Assert.That(await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout(), Is.True);
        var svid = call.ResponseStream.Current.Result.Svid;
        await call.RequestStream.CompleteAsync().DefaultTimeout();
        var leaf = X509CertificateLoader.LoadCertificate(svid.CertChain[0].ToByteArray()).CopyWithPrivateKey(key);
        return new TestAgentState(SpiffeId.FromPath(TrustDomain.Parse(svid.Id.TrustDomain), svid.Id.Path), leaf);
    }

    private sealed record TestAgentState(SpiffeId Id, X509Certificate2 Svid);
}
