using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Agent.V1;
using Spiffe.Testing;
using ProtoBundle = Spiffe.Proto.Spire.Types.Bundle;
using ProtoCertificate = Spiffe.Proto.Spire.Types.X509Certificate;
using ProtoJwtKey = Spiffe.Proto.Spire.Types.JWTKey;
using ProtoSpiffeId = Spiffe.Proto.Spire.Types.SPIFFEID;
using ProtoX509Svid = Spiffe.Proto.Spire.Types.X509SVID;

namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>Helpers for answering the SPIRE API from a <see cref="FakeCallInvoker"/> with real certificates.</summary>
internal sealed class FakeSpireApi
{
    public const string AttestAgent = "/spire.api.server.agent.v1.Agent/AttestAgent";
    public const string RenewAgent = "/spire.api.server.agent.v1.Agent/RenewAgent";
    public const string PostStatus = "/spire.api.server.agent.v1.Agent/PostStatus";
    public const string GetBundle = "/spire.api.server.bundle.v1.Bundle/GetBundle";
    public const string GetFederatedBundle = "/spire.api.server.bundle.v1.Bundle/GetFederatedBundle";
    public const string GetAuthorizedEntries = "/spire.api.server.entry.v1.Entry/GetAuthorizedEntries";
    public const string SyncAuthorizedEntries = "/spire.api.server.entry.v1.Entry/SyncAuthorizedEntries";
    public const string BatchNewX509Svid = "/spire.api.server.svid.v1.SVID/BatchNewX509SVID";
    public const string NewJwtSvid = "/spire.api.server.svid.v1.SVID/NewJWTSVID";

    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TrustDomain TrustDomain = TrustDomain.Parse("example.org");

    public TestCa Ca { get; } = TestCa.CreateRoot(TrustDomain, Now);

    public TestJwtSigner JwtSigner { get; } = new(TrustDomain, "jwt-1");

    public static PublicKey CsrPublicKey(ByteString csr) =>
        CertificateRequest.LoadSigningRequest(csr.ToByteArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default).PublicKey;

    public static bool VerifyX509PopEcdsa(PublicKey leafKey, byte[] challengeNonce, byte[] responseJson)
    {
        using var document = JsonDocument.Parse(responseJson);
        var answer = document.RootElement.GetProperty("ecdsa_signature");
        var digest = SHA256.HashData([.. challengeNonce, .. answer.GetProperty("nonce").GetBytesFromBase64()]);
        var r = answer.GetProperty("r").GetBytesFromBase64();
        var s = answer.GetProperty("s").GetBytesFromBase64();
        byte[] signature = [.. new byte[32 - r.Length], .. r, .. new byte[32 - s.Length], .. s];
        using var key = leafKey.GetECDsaPublicKey()!;
        return key.VerifyHash(digest, signature);
    }

    public static RpcException Denied(Spiffe.Proto.Spire.Types.PermissionDeniedDetails.Types.Reason reason) =>
        new Google.Rpc.Status
        {
            Code = (int)StatusCode.PermissionDenied,
            Message = "denied",
            Details = { Google.Protobuf.WellKnownTypes.Any.Pack(new Spiffe.Proto.Spire.Types.PermissionDeniedDetails { Reason = reason }) },
        }.ToRpcException();

    public ProtoBundle Bundle() => new()
    {
        TrustDomain = TrustDomain.Name,
        X509Authorities = { new ProtoCertificate { Asn1 = ByteString.CopyFrom(Ca.RootCertificate.RawData) } },
        JwtAuthorities = { new ProtoJwtKey { KeyId = JwtSigner.KeyId, PublicKey = ByteString.CopyFrom(JwtSigner.PublicKey.ExportSubjectPublicKeyInfo()) } },
        SequenceNumber = 3,
    };

    public ProtoX509Svid Sign(string spiffeId, PublicKey publicKey)
    {
        var svid = Ca.IssueX509Svid(SpiffeId.Parse(spiffeId), new TestCertificateOptions { CertificatePublicKey = publicKey });
        var id = SpiffeId.Parse(spiffeId);
        return new ProtoX509Svid
        {
            CertChain = { svid.Certificates.Select(c => ByteString.CopyFrom(c.RawData)) },
            Id = new ProtoSpiffeId { TrustDomain = id.TrustDomain.Name, Path = id.Path },
            ExpiresAt = new DateTimeOffset(svid.Leaf.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(),
        };
    }

    public AttestAgentResponse Result(AgentX509SVIDParams parameters, string agentId, bool reattestable) => new()
    {
        Result = new AttestAgentResponse.Types.Result { Svid = Sign(agentId, CsrPublicKey(parameters.Csr)), Reattestable = reattestable },
    };
}
