using Google.Protobuf;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>Pins spire.api.types.X509SVID, JWTSVID and WITSVID.</summary>
[TestFixture]
public sealed class SvidTypesTests
{
    [Test]
    public void X509Svid_AllFieldsSet_EncodesChainIdExpiryHint()
    {
        // Arrange
        var svid = new X509SVID
        {
            CertChain = { ByteString.CopyFrom(0x30, 0x01), ByteString.CopyFrom(0x30, 0x02) },
            Id = new SPIFFEID { TrustDomain = "td", Path = "/w" },
            ExpiresAt = 300,
            Hint = "h",
        };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x02, 0x30, 0x01,                           // 1 cert_chain[0]
            0x0a, 0x02, 0x30, 0x02,                           // 1 cert_chain[1]
            0x12, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/w",   // 2 id
            0x18, 0xac, 0x02,                                 // 3 expires_at = 300
            0x22, 0x01, "h"));                                // 4 hint
    }

    [Test]
    public void JwtSvid_AllFieldsSet_EncodesFieldsOneToFive()
    {
        // Arrange
        var svid = new JWTSVID
        {
            Token = "a.b.c",
            Id = new SPIFFEID { TrustDomain = "td", Path = "/w" },
            ExpiresAt = 300,
            IssuedAt = 1,
            Hint = "h",
        };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x05, "a.b.c",                              // 1 token
            0x12, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/w",   // 2 id
            0x18, 0xac, 0x02,                                 // 3 expires_at = 300
            0x20, 0x01,                                       // 4 issued_at
            0x2a, 0x01, "h"));                                // 5 hint
    }

    [Test]
    public void WitSvid_AllFieldsSet_EncodesLikeJwtSvid()
    {
        // Arrange
        var svid = new WITSVID
        {
            Token = "a.b.c",
            Id = new SPIFFEID { TrustDomain = "td", Path = "/w" },
            ExpiresAt = 300,
            IssuedAt = 1,
            Hint = "h",
        };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x05, "a.b.c",                              // 1 token
            0x12, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/w",   // 2 id
            0x18, 0xac, 0x02,                                 // 3 expires_at = 300
            0x20, 0x01,                                       // 4 issued_at
            0x2a, 0x01, "h"));                                // 5 hint
    }
}
