using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Net.Client;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Ca;
using AgentClient = Spiffe.Proto.Spire.Server.Agent.V1.Agent.AgentClient;

namespace Spiffe.Server.Benchmarks;

/// <summary>The agent side used by the load run: attest with a join token, then mTLS channels with the SVID.</summary>
internal sealed class BenchAgent
{
    private readonly int _port;
    private readonly X509Certificate2Collection _anchors;

    private BenchAgent(int port, X509Certificate2Collection anchors, X509Certificate2 svid, SpiffeId id)
    {
        _port = port;
        _anchors = anchors;
        Svid = svid;
        Id = id;
    }

    /// <summary>The agent SVID with its key.</summary>
    public X509Certificate2 Svid { get; }

    /// <summary>The agent ID.</summary>
    public SpiffeId Id { get; }

    /// <summary>A CSR for a new P-256 key.</summary>
    public static byte[] NewCsr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("C=US, O=SPIRE", key, HashAlgorithmName.SHA256).CreateSigningRequest();
    }

    /// <summary>Attests with <paramref name="token"/>.</summary>
    public static async Task<BenchAgent> AttestAsync(int port, X509Certificate2Collection anchors, string token)
    {
        using var channel = Channel(port, anchors, null);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var call = new AgentClient(channel).AttestAgent();
        await call.RequestStream.WriteAsync(new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params
            {
                Data = new AttestationData { Type = "join_token", Payload = ByteString.CopyFromUtf8(token) },
                Params_ = new AgentX509SVIDParams
                {
                    Csr = ByteString.CopyFrom(new CertificateRequest("C=US, O=SPIRE", key, HashAlgorithmName.SHA256).CreateSigningRequest()),
                },
            },
        });
        if (!await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            throw new InvalidOperationException("no attestation result");
        }

        var svid = call.ResponseStream.Current.Result.Svid;
        await call.RequestStream.CompleteAsync();
        var leaf = X509CertificateLoader.LoadCertificate(svid.CertChain[0].ToByteArray()).CopyWithPrivateKey(key);
        return new BenchAgent(port, anchors, leaf, SpiffeId.FromPath(TrustDomain.Parse(svid.Id.TrustDomain), svid.Id.Path));
    }

    /// <summary>An mTLS channel with the agent SVID.</summary>
    public GrpcChannel Channel() => Channel(_port, _anchors, Svid);

    /// <summary>A TLS channel that authenticates the server as an agent does.</summary>
    public static GrpcChannel Channel(int port, X509Certificate2Collection anchors, X509Certificate2? client)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
                var leaf = (X509Certificate2)certificate!;
                return chain.Build(leaf) && SanEncoder.ReadUris(leaf).SequenceEqual(["spiffe://example.org/spire/server"]);
            },
            ClientCertificates = client is null ? null : [client],
        };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = ssl },
            MaxReceiveMessageSize = 256 * 1024 * 1024,
            DisposeHttpClient = true,
        });
    }
}
