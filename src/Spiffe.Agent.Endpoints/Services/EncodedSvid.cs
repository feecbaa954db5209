using Google.Protobuf;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>An X509-SVID in wire form.</summary>
/// <param name="Certificates">The DER chain, leaf first, concatenated.</param>
/// <param name="PrivateKey">The unencrypted PKCS#8 DER private key.</param>
internal sealed record EncodedSvid(ByteString Certificates, ByteString PrivateKey);
