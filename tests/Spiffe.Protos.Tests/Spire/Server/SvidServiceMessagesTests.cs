using Google.Protobuf;
using Spiffe.Proto.Spire.Server.Svid.V1;
using SpireTypes = Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Server;

/// <summary>Pins the messages of spire.api.server.svid.v1.</summary>
[TestFixture]
public sealed class SvidServiceMessagesTests
{
    [Test]
    public void BatchNewX509SvidRequest_TwoParams_EncodesRepeatedParamsAsOne()
    {
        // Arrange
        var request = new BatchNewX509SVIDRequest
        {
            Params =
            {
                new NewX509SVIDParams { EntryId = "e1", Csr = ByteString.CopyFrom(0x30, 0x01) },
                new NewX509SVIDParams { EntryId = "e2", Csr = ByteString.CopyFrom(0x30, 0x02) },
            },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x08, 0x0a, 0x02, "e1", 0x12, 0x02, 0x30, 0x01, // 1 params[0] { 1 entry_id, 2 csr }
            0x0a, 0x08, 0x0a, 0x02, "e2", 0x12, 0x02, 0x30, 0x02)); // 1 params[1]
    }

    [Test]
    public void BatchNewX509SvidResponse_OneResult_EncodesStatusThenSvid()
    {
        // Arrange
        var response = new BatchNewX509SVIDResponse
        {
            Results =
            {
                new BatchNewX509SVIDResponse.Types.Result
                {
                    Status = new SpireTypes.Status { Message = "ok" },
                    Svid = new SpireTypes.X509SVID { Hint = "h" },
                },
            },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x0b,                                       // 1 results[0], 11 bytes
            0x0a, 0x04, 0x12, 0x02, "ok",                     //   1 status { 2 message }
            0x12, 0x03, 0x22, 0x01, "h"));                    //   2 svid { 4 hint }
    }

    [Test]
    public void NewJwtSvid_RequestAndResponse_EncodeEntryAudienceAndSvid()
    {
        // Arrange
        var request = new NewJWTSVIDRequest { EntryId = "e1", Audience = { "a", "b" } };
        var response = new NewJWTSVIDResponse { Svid = new SpireTypes.JWTSVID { Token = "t" } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, "e1", 0x12, 0x01, "a", 0x12, 0x01, "b"));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x03, 0x0a, 0x01, "t"));
        }
    }

    [Test]
    public void MintX509Svid_RequestAndResponse_EncodeCsrTtlAndSvid()
    {
        // Arrange
        var request = new MintX509SVIDRequest { Csr = ByteString.CopyFrom(0x30), Ttl = 60 };
        var response = new MintX509SVIDResponse { Svid = new SpireTypes.X509SVID { ExpiresAt = 1 } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x01, 0x30, 0x10, 0x3c));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x02, 0x18, 0x01));
        }
    }

    [Test]
    public void MintJwtSvidRequest_AllFieldsSet_EncodesIdAudienceTtl()
    {
        // Arrange
        var request = new MintJWTSVIDRequest { Id = new SpireTypes.SPIFFEID { Path = "/w" }, Audience = { "a" }, Ttl = 60 };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x04, 0x12, 0x02, "/w",                     // 1 id
            0x12, 0x01, "a",                                  // 2 audience[0]
            0x18, 0x3c));                                     // 3 ttl
    }

    [Test]
    public void MintWitSvidRequest_AllFieldsSet_EncodesFieldsOneToFour()
    {
        // Arrange
        var request = new MintWITSVIDRequest
        {
            Id = new SpireTypes.SPIFFEID { Path = "/w" },
            PublicKey = ByteString.CopyFrom(0x30),
            Ttl = 60,
            SigningAlgorithm = "ES256",
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x04, 0x12, 0x02, "/w",                     // 1 id
            0x12, 0x01, 0x30,                                 // 2 public_key
            0x18, 0x3c,                                       // 3 ttl
            0x22, 0x05, "ES256"));                            // 4 signing_algorithm
    }

    [Test]
    public void MintJwtAndWitSvidResponses_Set_EncodeSvidAsOne()
    {
        // Arrange
        var jwt = new MintJWTSVIDResponse { Svid = new SpireTypes.JWTSVID { IssuedAt = 1 } };
        var wit = new MintWITSVIDResponse { Svid = new SpireTypes.WITSVID { IssuedAt = 1 } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(jwt, WireBytes.Of(0x0a, 0x02, 0x20, 0x01));
            WireAssert.Encodes(wit, WireBytes.Of(0x0a, 0x02, 0x20, 0x01));
        }
    }

    [Test]
    public void BatchNewWitSvid_RequestAndResponse_EncodeParamsAndResults()
    {
        // Arrange
        var request = new BatchNewWITSVIDRequest
        {
            Params = { new NewWITSVIDParams { EntryId = "e", PublicKey = ByteString.CopyFrom(0x30), SigningAlgorithm = "ES256" } },
        };
        var response = new BatchNewWITSVIDResponse
        {
            Results = { new BatchNewWITSVIDResponse.Types.Result { Svid = new SpireTypes.WITSVID { Token = "t" } } },
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(
                0x0a, 0x0d,                                   // 1 params[0], 13 bytes
                0x0a, 0x01, "e",                              //   1 entry_id
                0x12, 0x01, 0x30,                             //   2 public_key
                0x1a, 0x05, "ES256"));                        //   3 signing_algorithm
            WireAssert.Encodes(response, WireBytes.Of(
                0x0a, 0x05, 0x12, 0x03, 0x0a, 0x01, "t"));    // 1 results[0] { 2 svid { 1 token } }
        }
    }

    [Test]
    public void NewDownstreamX509Ca_RequestAndResponse_EncodeCsrTtlAndChains()
    {
        // Arrange
        var request = new NewDownstreamX509CARequest { Csr = ByteString.CopyFrom(0x30), PreferredTtl = 60 };
        var response = new NewDownstreamX509CAResponse
        {
            CaCertChain = { ByteString.CopyFrom(0x01) },
            X509Authorities = { ByteString.CopyFrom(0x02) },
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x01, 0x30, 0x10, 0x3c));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x01, 0x01, 0x12, 0x01, 0x02));
        }
    }
}
