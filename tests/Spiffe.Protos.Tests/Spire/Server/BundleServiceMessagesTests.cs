using Google.Protobuf;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using SpireTypes = Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Server;

/// <summary>Pins the messages of spire.api.server.bundle.v1.</summary>
[TestFixture]
public sealed class BundleServiceMessagesTests
{
    [Test]
    public void GetBundleRequest_Mask_EncodesFieldOne()
    {
        // Arrange
        var request = new GetBundleRequest { OutputMask = new SpireTypes.BundleMask { X509Authorities = true } };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, 0x10, 0x01));
    }

    [Test]
    public void GetFederatedBundleRequest_TrustDomainAndMask_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var request = new GetFederatedBundleRequest
        {
            TrustDomain = "td",
            OutputMask = new SpireTypes.BundleMask { JwtAuthorities = true },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, "td", 0x12, 0x02, 0x18, 0x01));
    }

    [Test]
    public void CountBundlesResponse_Count_EncodesFieldOne()
    {
        // Arrange
        var response = new CountBundlesResponse { Count = 4 };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x08, 0x04));
    }

    [Test]
    public void AppendBundleRequest_AllFieldsSet_EncodesWitAuthoritiesAsFour()
    {
        // Arrange
        var request = new AppendBundleRequest
        {
            X509Authorities = { new SpireTypes.X509Certificate { Asn1 = ByteString.CopyFrom(0x30) } },
            JwtAuthorities = { new SpireTypes.JWTKey { KeyId = "k" } },
            OutputMask = new SpireTypes.BundleMask { RefreshHint = true },
            WitAuthorities = { new SpireTypes.WITKey { KeyId = "w" } },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x03, 0x0a, 0x01, 0x30,                     // 1 x509_authorities[0] { 1 asn1 }
            0x12, 0x03, 0x12, 0x01, "k",                      // 2 jwt_authorities[0] { 2 key_id }
            0x1a, 0x02, 0x20, 0x01,                           // 3 output_mask { 4 refresh_hint }
            0x22, 0x03, 0x12, 0x01, "w"));                    // 4 wit_authorities[0] { 2 key_id }
    }

    [Test]
    public void PublishAuthority_RequestsAndResponses_EncodeFieldOne()
    {
        // Arrange
        var jwtRequest = new PublishJWTAuthorityRequest { JwtAuthority = new SpireTypes.JWTKey { KeyId = "k" } };
        var jwtResponse = new PublishJWTAuthorityResponse { JwtAuthorities = { new SpireTypes.JWTKey { KeyId = "k" } } };
        var witRequest = new PublishWITAuthorityRequest { WitAuthority = new SpireTypes.WITKey { KeyId = "w" } };
        var witResponse = new PublishWITAuthorityResponse { WitAuthorities = { new SpireTypes.WITKey { KeyId = "w" } } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(jwtRequest, WireBytes.Of(0x0a, 0x03, 0x12, 0x01, "k"));
            WireAssert.Encodes(jwtResponse, WireBytes.Of(0x0a, 0x03, 0x12, 0x01, "k"));
            WireAssert.Encodes(witRequest, WireBytes.Of(0x0a, 0x03, 0x12, 0x01, "w"));
            WireAssert.Encodes(witResponse, WireBytes.Of(0x0a, 0x03, 0x12, 0x01, "w"));
        }
    }

    [Test]
    public void ListFederatedBundles_RequestAndResponse_EncodeMaskPagingAndBundles()
    {
        // Arrange
        var request = new ListFederatedBundlesRequest
        {
            OutputMask = new SpireTypes.BundleMask { X509Authorities = true },
            PageSize = 5,
            PageToken = "p",
        };
        var response = new ListFederatedBundlesResponse
        {
            Bundles = { new SpireTypes.Bundle { TrustDomain = "td" } },
            NextPageToken = "n",
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, 0x10, 0x01, 0x10, 0x05, 0x1a, 0x01, "p"));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x04, 0x0a, 0x02, "td", 0x12, 0x01, "n"));
        }
    }

    [Test]
    public void BatchCreateAndSetFederatedBundleRequests_Set_EncodeBundleOneMaskTwo()
    {
        // Arrange
        var create = new BatchCreateFederatedBundleRequest
        {
            Bundle = { new SpireTypes.Bundle { TrustDomain = "td" } },
            OutputMask = new SpireTypes.BundleMask { RefreshHint = true },
        };
        var set = new BatchSetFederatedBundleRequest
        {
            Bundle = { new SpireTypes.Bundle { TrustDomain = "td" } },
            OutputMask = new SpireTypes.BundleMask { RefreshHint = true },
        };
        var expected = WireBytes.Of(0x0a, 0x04, 0x0a, 0x02, "td", 0x12, 0x02, 0x20, 0x01);

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(create, expected);
            WireAssert.Encodes(set, expected);
        }
    }

    [Test]
    public void BatchUpdateFederatedBundleRequest_Set_EncodesInputMaskTwoOutputMaskThree()
    {
        // Arrange
        var request = new BatchUpdateFederatedBundleRequest
        {
            Bundle = { new SpireTypes.Bundle { TrustDomain = "td" } },
            InputMask = new SpireTypes.BundleMask { SequenceNumber = true },
            OutputMask = new SpireTypes.BundleMask { WitAuthorities = true },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x04, 0x0a, 0x02, "td",                     // 1 bundle[0]
            0x12, 0x02, 0x28, 0x01,                           // 2 input_mask { 5 sequence_number }
            0x1a, 0x02, 0x30, 0x01));                         // 3 output_mask { 6 wit_authorities }
    }

    [Test]
    public void BatchFederatedBundleResponses_OneResult_EncodeStatusThenBundle()
    {
        // Arrange
        var status = new SpireTypes.Status { Code = 3 };
        var bundle = new SpireTypes.Bundle { TrustDomain = "td" };
        var create = new BatchCreateFederatedBundleResponse
        {
            Results = { new BatchCreateFederatedBundleResponse.Types.Result { Status = status, Bundle = bundle } },
        };
        var update = new BatchUpdateFederatedBundleResponse
        {
            Results = { new BatchUpdateFederatedBundleResponse.Types.Result { Status = status, Bundle = bundle } },
        };
        var set = new BatchSetFederatedBundleResponse
        {
            Results = { new BatchSetFederatedBundleResponse.Types.Result { Status = status, Bundle = bundle } },
        };
        var expected = WireBytes.Of(
            0x0a, 0x0a,                                       // 1 results[0], 10 bytes
            0x0a, 0x02, 0x08, 0x03,                           //   1 status { 1 code }
            0x12, 0x04, 0x0a, 0x02, "td");                    //   2 bundle { 1 trust_domain }

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(create, expected);
            WireAssert.Encodes(update, expected);
            WireAssert.Encodes(set, expected);
        }
    }

    [Test]
    public void BatchDeleteFederatedBundle_DissociateMode_EncodesTrustDomainsAndEnumTwo()
    {
        // Arrange
        var request = new BatchDeleteFederatedBundleRequest
        {
            TrustDomains = { "td" },
            Mode = BatchDeleteFederatedBundleRequest.Types.Mode.Dissociate,
        };
        var response = new BatchDeleteFederatedBundleResponse
        {
            Results =
            {
                new BatchDeleteFederatedBundleResponse.Types.Result
                {
                    Status = new SpireTypes.Status { Code = 5 },
                    TrustDomain = "td",
                },
            },
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, "td", 0x10, 0x02));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x08, 0x0a, 0x02, 0x08, 0x05, 0x12, 0x02, "td"));
            Assert.That((int)BatchDeleteFederatedBundleRequest.Types.Mode.Restrict, Is.Zero);
            Assert.That((int)BatchDeleteFederatedBundleRequest.Types.Mode.Delete, Is.EqualTo(1));
        }
    }
}
