using Google.Protobuf;
using Spiffe.Proto.Spire.Server.Agent.V1;
using SpireTypes = Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Server;

/// <summary>Pins the messages of spire.api.server.agent.v1.</summary>
[TestFixture]
public sealed class AgentServiceMessagesTests
{
    [Test]
    public void AttestAgentRequest_ParamsStep_EncodesOneofFieldOne()
    {
        // Arrange
        var request = new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params
            {
                Data = new SpireTypes.AttestationData { Type = "join_token", Payload = ByteString.CopyFromUtf8("tok") },
                Params_ = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(0x30, 0x01) },
            },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x19,                                       // 1 params, 25 bytes
            0x0a, 0x11,                                       //   1 data, 17 bytes
            0x0a, 0x0a, "join_token",                         //     1 type
            0x12, 0x03, "tok",                                //     2 payload
            0x12, 0x04,                                       //   2 params (AgentX509SVIDParams)
            0x0a, 0x02, 0x30, 0x01));                         //     1 csr
    }

    [Test]
    public void AttestAgentRequest_ChallengeResponseAfterParams_KeepsOnlyOneofFieldTwo()
    {
        // Arrange
        var request = new AttestAgentRequest
        {
            Params = new AttestAgentRequest.Types.Params { Data = new SpireTypes.AttestationData { Type = "x" } },
        };

        // Act
        request.ChallengeResponse = ByteString.CopyFrom(0x01, 0x02);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.StepCase, Is.EqualTo(AttestAgentRequest.StepOneofCase.ChallengeResponse));
            Assert.That(request.Params, Is.Null);
            WireAssert.Encodes(request, WireBytes.Of(0x12, 0x02, 0x01, 0x02)); // 2 challenge_response
        }
    }

    [Test]
    public void AttestAgentResponse_ResultStep_EncodesSvidAndReattestable()
    {
        // Arrange
        var response = new AttestAgentResponse
        {
            Result = new AttestAgentResponse.Types.Result
            {
                Svid = new SpireTypes.X509SVID { CertChain = { ByteString.CopyFrom(0x30) }, ExpiresAt = 1 },
                Reattestable = true,
            },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x09,                                       // 1 result, 9 bytes
            0x0a, 0x05,                                       //   1 svid, 5 bytes
            0x0a, 0x01, 0x30,                                 //     1 cert_chain[0]
            0x18, 0x01,                                       //     3 expires_at
            0x10, 0x01));                                     //   2 reattestable
    }

    [Test]
    public void AttestAgentResponse_ChallengeStep_EncodesOneofFieldTwo()
    {
        // Arrange
        var response = new AttestAgentResponse { Challenge = ByteString.CopyFrom(0xaa) };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x12, 0x01, 0xaa));
    }

    [Test]
    public void RenewAgentRequestAndResponse_Set_EncodeFieldOne()
    {
        // Arrange
        var request = new RenewAgentRequest { Params = new AgentX509SVIDParams { Csr = ByteString.CopyFrom(0x30) } };
        var response = new RenewAgentResponse { Svid = new SpireTypes.X509SVID { Hint = "h" } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x03, 0x0a, 0x01, 0x30));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x03, 0x22, 0x01, "h"));
        }
    }

    [Test]
    public void PostStatusRequest_SerialAndVersion_EncodesUint64ThenString()
    {
        // Arrange
        var request = new PostStatusRequest { CurrentBundleSerial = 300, AgentVersion = "1.0" };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x08, 0xac, 0x02, 0x12, 0x03, "1.0"));
    }

    [Test]
    public void CreateJoinTokenRequest_AllFieldsSet_EncodesTtlTokenAgentId()
    {
        // Arrange
        var request = new CreateJoinTokenRequest
        {
            Ttl = 600,
            Token = "tok",
            AgentId = new SpireTypes.SPIFFEID { TrustDomain = "td", Path = "/n" },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x08, 0xd8, 0x04,                                 // 1 ttl = 600
            0x12, 0x03, "tok",                                // 2 token
            0x1a, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/n")); // 3 agent_id
    }

    [Test]
    public void ListAgentsRequest_FullFilterMaskAndPaging_EncodesWrappersAsSubmessages()
    {
        // Arrange
        var request = new ListAgentsRequest
        {
            Filter = new ListAgentsRequest.Types.Filter
            {
                ByAttestationType = "x",
                BySelectorMatch = new SpireTypes.SelectorMatch
                {
                    Match = SpireTypes.SelectorMatch.Types.MatchBehavior.MatchSubset,
                },
                ByBanned = true,
                ByCanReattest = false,
                ByExpiresBefore = "t",
            },
            OutputMask = new SpireTypes.AgentMask { Banned = true },
            PageSize = 10,
            PageToken = "p",
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x10,                                       // 1 filter, 16 bytes
            0x0a, 0x01, "x",                                  //   1 by_attestation_type
            0x12, 0x02, 0x10, 0x01,                           //   2 by_selector_match { 2 match }
            0x1a, 0x02, 0x08, 0x01,                           //   3 by_banned = BoolValue{true}
            0x22, 0x00,                                       //   4 by_can_reattest = BoolValue{false}
            0x2a, 0x01, "t",                                  //   5 by_expires_before
            0x12, 0x02, 0x30, 0x01,                           // 2 output_mask { 6 banned }
            0x18, 0x0a,                                       // 3 page_size
            0x22, 0x01, "p"));                                // 4 page_token
    }

    [Test]
    public void CountAgentsRequestAndResponse_Set_EncodeFilterAndCount()
    {
        // Arrange
        var request = new CountAgentsRequest { Filter = new CountAgentsRequest.Types.Filter { ByBanned = true } };
        var response = new CountAgentsResponse { Count = 7 };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x04, 0x1a, 0x02, 0x08, 0x01));
            WireAssert.Encodes(response, WireBytes.Of(0x08, 0x07));
        }
    }

    [Test]
    public void ListAgentsResponse_AgentAndToken_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var response = new ListAgentsResponse
        {
            Agents = { new SpireTypes.Agent { Banned = true } },
            NextPageToken = "n",
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x02, 0x30, 0x01, 0x12, 0x01, "n"));
    }

    [Test]
    public void GetDeleteBanAgentRequests_Set_EncodeIdAsFieldOne()
    {
        // Arrange
        var id = new SpireTypes.SPIFFEID { Path = "/a" };
        var get = new GetAgentRequest { Id = id, OutputMask = new SpireTypes.AgentMask { Selectors = true } };
        var delete = new DeleteAgentRequest { Id = id };
        var ban = new BanAgentRequest { Id = id };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(get, WireBytes.Of(0x0a, 0x04, 0x12, 0x02, "/a", 0x12, 0x02, 0x28, 0x01));
            WireAssert.Encodes(delete, WireBytes.Of(0x0a, 0x04, 0x12, 0x02, "/a"));
            WireAssert.Encodes(ban, WireBytes.Of(0x0a, 0x04, 0x12, 0x02, "/a"));
        }
    }
}
