using Google.Protobuf;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>Pins spire.api.types.Bundle, BundleMask, X509Certificate, JWTKey and WITKey.</summary>
[TestFixture]
public sealed class BundleTypesTests
{
    [Test]
    public void Bundle_AllFieldsSet_EncodesFieldsOneToSix()
    {
        // Arrange
        var bundle = new Bundle
        {
            TrustDomain = "td",
            X509Authorities = { new X509Certificate { Asn1 = ByteString.CopyFrom(0x30), Tainted = true } },
            JwtAuthorities =
            {
                new JWTKey { PublicKey = ByteString.CopyFrom(0x30), KeyId = "k", ExpiresAt = 300, Tainted = true },
            },
            RefreshHint = 300,
            SequenceNumber = 1,
            WitAuthorities = { new WITKey { KeyId = "w" } },
        };

        // Act + Assert
        WireAssert.Encodes(bundle, WireBytes.Of(
            0x0a, 0x02, "td",                                 // 1 trust_domain
            0x12, 0x05, 0x0a, 0x01, 0x30, 0x10, 0x01,         // 2 x509_authorities[0] { 1 asn1, 2 tainted }
            0x1a, 0x0b,                                       // 3 jwt_authorities[0], 11 bytes
            0x0a, 0x01, 0x30,                                 //   1 public_key
            0x12, 0x01, "k",                                  //   2 key_id
            0x18, 0xac, 0x02,                                 //   3 expires_at = 300
            0x20, 0x01,                                       //   4 tainted
            0x20, 0xac, 0x02,                                 // 4 refresh_hint = 300
            0x28, 0x01,                                       // 5 sequence_number
            0x32, 0x03, 0x12, 0x01, "w"));                    // 6 wit_authorities[0] { 2 key_id }
    }

    [Test]
    public void Bundle_MaxSequenceNumber_EncodesUint64AsTenByteVarint()
    {
        // Arrange
        var bundle = new Bundle { SequenceNumber = ulong.MaxValue };

        // Act + Assert
        WireAssert.Encodes(bundle, WireBytes.Of(
            0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01));
    }

    [Test]
    public void BundleMask_AllFieldsSet_EncodesBoolsTwoToSix()
    {
        // Arrange
        var mask = new BundleMask
        {
            X509Authorities = true,
            JwtAuthorities = true,
            RefreshHint = true,
            SequenceNumber = true,
            WitAuthorities = true,
        };

        // Act + Assert
        WireAssert.Encodes(mask, WireBytes.Of(0x10, 0x01, 0x18, 0x01, 0x20, 0x01, 0x28, 0x01, 0x30, 0x01));
    }

    [Test]
    public void WitKey_AllFieldsSet_EncodesLikeJwtKey()
    {
        // Arrange
        var key = new WITKey { PublicKey = ByteString.CopyFrom(0x30, 0x59), KeyId = "kid", ExpiresAt = 1, Tainted = true };

        // Act + Assert
        WireAssert.Encodes(key, WireBytes.Of(
            0x0a, 0x02, 0x30, 0x59,                           // 1 public_key
            0x12, 0x03, "kid",                                // 2 key_id
            0x18, 0x01,                                       // 3 expires_at
            0x20, 0x01));                                     // 4 tainted
    }
}
