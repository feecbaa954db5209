using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Spiffe.WorkloadApi.Benchmarks;

/// <summary>
/// One mutual-TLS handshake (both ends, over a fresh loopback TCP connection, no session resumption) with options
/// from <see cref="SpiffeTls"/> backed by two <see cref="X509Source"/>s, against the same handshake with fixed
/// certificate contexts and the platform's chain validation against the root.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MtlsHandshakeBenchmarks
{
    private BenchmarkIdentities identities = null!;
    private X509Source serverSource = null!;
    private X509Source clientSource = null!;
    private TcpListener listener = null!;
    private SslServerAuthenticationOptions spiffeServer = null!;
    private SslClientAuthenticationOptions spiffeClient = null!;
    private SslServerAuthenticationOptions staticServer = null!;
    private SslClientAuthenticationOptions staticClient = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        this.identities = await BenchmarkIdentities.StartAsync();
        this.serverSource = await this.identities.CreateSourceAsync("server");
        this.clientSource = await this.identities.CreateSourceAsync("client");
        this.listener = new TcpListener(IPAddress.Loopback, 0);
        this.listener.Start();

        this.spiffeServer = SpiffeTls.CreateMtlsServerOptions(this.serverSource, this.serverSource, Authorizers.AuthorizeId(BenchmarkIdentities.ClientId));
        this.spiffeClient = SpiffeTls.CreateMtlsClientOptions(this.clientSource, this.clientSource, Authorizers.AuthorizeId(BenchmarkIdentities.ServerId));
        this.spiffeClient.TargetHost = "localhost";

        var trust = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        trust.CustomTrustStore.Add(this.identities.Ca.RootCertificate);
        this.staticServer = new SslServerAuthenticationOptions
        {
            AllowTlsResume = false,
            ClientCertificateRequired = true,
            ServerCertificateContext = SslStreamCertificateContext.Create(this.identities.Server.Leaf.CopyWithPrivateKey((System.Security.Cryptography.ECDsa)this.identities.Server.PrivateKey), null, offline: true),
            CertificateChainPolicy = trust,
            RemoteCertificateValidationCallback = (_, _, _, errors) => errors == SslPolicyErrors.None,
        };
        this.staticClient = new SslClientAuthenticationOptions
        {
            AllowTlsResume = false,
            TargetHost = "localhost",
            ClientCertificateContext = SslStreamCertificateContext.Create(this.identities.Client.Leaf.CopyWithPrivateKey((System.Security.Cryptography.ECDsa)this.identities.Client.PrivateKey), null, offline: true),
            CertificateChainPolicy = trust,
            RemoteCertificateValidationCallback = (_, _, _, errors) => (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None,
        };
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        this.listener.Stop();
        await this.serverSource.DisposeAsync();
        await this.clientSource.DisposeAsync();
        await this.identities.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "static certificates")]
    public Task StaticCertificates() => this.HandshakeAsync(this.staticServer, this.staticClient);

    [Benchmark(Description = "X509Source + SpiffeTls")]
    public Task X509SourceBacked() => this.HandshakeAsync(this.spiffeServer, this.spiffeClient);

    private async Task HandshakeAsync(SslServerAuthenticationOptions serverOptions, SslClientAuthenticationOptions clientOptions)
    {
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = connecting.ConnectAsync(this.listener.LocalEndpoint);
        var accepted = await this.listener.AcceptSocketAsync();
        await connect;
        await using var server = new SslStream(new NetworkStream(accepted, ownsSocket: true));
        await using var client = new SslStream(new NetworkStream(connecting, ownsSocket: true));
        await Task.WhenAll(server.AuthenticateAsServerAsync(serverOptions), client.AuthenticateAsClientAsync(clientOptions));
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            this.AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
