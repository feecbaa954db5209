using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Net.Client;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Ca;
using AgentClient = Spiffe.Proto.Spire.Server.Agent.V1.Agent.AgentClient;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>
/// The agent side of the server API for tests: attests (join_token or x509pop, answering challenges as SPIRE's agent
/// does), keeps its X509-SVID and key, renews, and opens mTLS channels with its current SVID.
/// </summary>
internal sealed class TestAgent
{
    private readonly TestServer _server;
    private X509Certificate2Collection _trustAnchors;

    /// <summary>Creates an agent that trusts <paramref name="trustAnchors"/>.</summary>
    public TestAgent(TestServer server, X509Certificate2Collection trustAnchors)
    {
        _server = server;
        _trustAnchors = trustAnchors;
    }

    /// <summary>Replaces the trusted roots, as an agent does after fetching the bundle.</summary>
    public void UpdateTrustAnchors(X509Certificate2Collection trustAnchors) => _trustAnchors = trustAnchors;

    /// <summary>The current SVID (leaf with private key), after attestation.</summary>
    public X509Certificate2? Svid { get; private set; }

    /// <summary>The SVID's intermediates (empty for a self-signed server CA).</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; private set; } = [];

    /// <summary>The agent's SPIFFE ID, after attestation.</summary>
    public SpiffeId Id { get; private set; }

    /// <summary>What the server said about re-attestation.</summary>
    public bool Reattestable { get; private set; }

    /// <summary>A PKCS#10 request for <paramref name="key"/> (subject C=US, O=SPIRE; URI SAN when <paramref name="id"/> is set).</summary>
    public static byte[] CreateCsr(AsymmetricAlgorithm key, SpiffeId? id = null)
    {
        var subject = new X500DistinguishedName("C=US, O=SPIRE");
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(),
        };
        if (id is { } spiffeId)
        {
            request.CertificateExtensions.Add(SanEncoder.Create(spiffeId, []));
        }

        return request.CreateSigningRequest();
    }

    /// <summary>The answer SPIRE's x509pop agent plugin gives to <paramref name="challenge"/>.</summary>
    public static byte[] AnswerX509PopChallenge(byte[] challenge, AsymmetricAlgorithm key)
    {
        var root = JsonNode.Parse(challenge)!.AsObject();
        var isRsa = root["rsa_signature"] is JsonObject;
        var challengeNonce = Convert.FromBase64String((isRsa ? root["rsa_signature"] : root["ecdsa_signature"])!["nonce"]!.GetValue<string>());
        var nonce = RandomNumberGenerator.GetBytes(32);
        var digest = SHA256.HashData([.. challengeNonce, .. nonce]);
        JsonObject answer;
        if (isRsa)
        {
            var signature = ((RSA)key).SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            answer = new JsonObject
            {
                ["rsa_signature"] = new JsonObject { ["nonce"] = Convert.ToBase64String(nonce), ["signature"] = Convert.ToBase64String(signature) },
                ["ecdsa_signature"] = null,
            };
        }
        else
        {
            var signature = ((ECDsa)key).SignHash(digest);
            var half = signature.Length / 2;
            answer = new JsonObject
            {
                ["rsa_signature"] = null,
                ["ecdsa_signature"] = new JsonObject
                {
                    ["nonce"] = Convert.ToBase64String(nonce),
                    ["r"] = Convert.ToBase64String(TrimLeadingZeros(signature[..half])),
                    ["s"] = Convert.ToBase64String(TrimLeadingZeros(signature[half..])),
                },
            };
        }

        return Encoding.UTF8.GetBytes(answer.ToJsonString());
    }

    /// <summary>The x509pop attestation payload for a certificate chain (leaf first).</summary>
    public static byte[] X509PopPayload(IEnumerable<X509Certificate2> chain)
    {
        var certificates = new JsonArray();
        foreach (var c in chain)
        {
            certificates.Add(Convert.ToBase64String(c.RawData));
        }

        return Encoding.UTF8.GetBytes(new JsonObject { ["certificates"] = certificates }.ToJsonString());
    }

    /// <summary>Attests with a join token.</summary>
    public Task AttestJoinTokenAsync(string token) =>
        AttestAsync(new AttestationData { Type = "join_token", Payload = ByteString.CopyFromUtf8(token) }, null);

    /// <summary>Attests with x509pop, proving possession of <paramref name="key"/>.</summary>
    public Task AttestX509PopAsync(IEnumerable<X509Certificate2> chain, AsymmetricAlgorithm key) =>
        AttestAsync(new AttestationData { Type = "x509pop", Payload = ByteString.CopyFrom(X509PopPayload(chain)) }, key);

    /// <summary>Renews the SVID through <c>RenewAgent</c> (authenticating with the current one) and switches to the new one.</summary>
    public async Task RenewAsync()
    {
        using var channel = CreateChannel();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await new AgentClient(channel).RenewAgentAsync(new RenewAgentRequest
        {
            Params = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(CreateCsr(key, Id)) },
        }).ResponseAsync.DefaultTimeout();
        Adopt(response.Svid, key);
    }

    /// <summary>An mTLS channel presenting the current SVID (or <paramref name="svid"/>).</summary>
    public GrpcChannel CreateChannel(X509Certificate2? svid = null) =>
        _server.CreateAgentChannel(_trustAnchors, svid ?? Svid ?? throw new InvalidOperationException("not attested"), Intermediates);

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return value[i..];
    }

    private async Task AttestAsync(AttestationData data, AsymmetricAlgorithm? popKey)
    {
        using var channel = _server.CreateAgentChannel(_trustAnchors);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var call = new AgentClient(channel).AttestAgent();
        await call.RequestStream.WriteAsync(new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params
            {
                Data = data,
                Params_ = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(CreateCsr(key)) },
            },
        }).DefaultTimeout();
        while (true)
        {
            if (!await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout())
            {
                throw new InvalidOperationException("attestation stream ended without a result");
            }

            var response = call.ResponseStream.Current;
            if (response.StepCase == AttestAgentResponse.StepOneofCase.Result)
            {
                await call.RequestStream.CompleteAsync().DefaultTimeout();
                Reattestable = response.Result.Reattestable;
                Adopt(response.Result.Svid, key);
                return;
            }

            var answer = AnswerX509PopChallenge(response.Challenge.ToByteArray(), popKey ?? throw new InvalidOperationException("unexpected challenge"));
            await call.RequestStream.WriteAsync(new AttestAgentRequest { ChallengeResponse = ByteString.CopyFrom(answer) }).DefaultTimeout();
        }
    }

    private void Adopt(X509SVID svid, ECDsa key)
    {
        var chain = svid.CertChain.Select(c => X509CertificateLoader.LoadCertificate(c.ToByteArray())).ToArray();
        Svid = chain[0].CopyWithPrivateKey(key);
        Intermediates = chain[1..];
        Id = SpiffeId.FromPath(TrustDomain.Parse(svid.Id.TrustDomain), svid.Id.Path);
    }
}
