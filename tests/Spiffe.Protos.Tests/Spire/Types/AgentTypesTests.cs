using Google.Protobuf;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>Pins spire.api.types.Agent, AgentMask, AttestationData and JoinToken.</summary>
[TestFixture]
public sealed class AgentTypesTests
{
    [Test]
    public void Agent_AllFieldsSet_EncodesFieldsOneToEight()
    {
        // Arrange
        var agent = new Agent
        {
            Id = new SPIFFEID { TrustDomain = "td", Path = "/a" },
            AttestationType = "join_token",
            X509SvidSerialNumber = "1",
            X509SvidExpiresAt = 300,
            Selectors = { new Selector { Type = "t", Value = "v" } },
            Banned = true,
            CanReattest = true,
            AgentVersion = "1.0",
        };

        // Act + Assert
        WireAssert.Encodes(agent, WireBytes.Of(
            0x0a, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/a",   // 1 id
            0x12, 0x0a, "join_token",                         // 2 attestation_type
            0x1a, 0x01, "1",                                  // 3 x509svid_serial_number
            0x20, 0xac, 0x02,                                 // 4 x509svid_expires_at = 300
            0x2a, 0x06, 0x0a, 0x01, "t", 0x12, 0x01, "v",     // 5 selectors[0]
            0x30, 0x01,                                       // 6 banned
            0x38, 0x01,                                       // 7 can_reattest
            0x42, 0x03, "1.0"));                              // 8 agent_version
    }

    [Test]
    public void AgentMask_AllFieldsSet_EncodesBoolsTwoToEight()
    {
        // Arrange
        var mask = new AgentMask
        {
            AttestationType = true,
            X509SvidSerialNumber = true,
            X509SvidExpiresAt = true,
            Selectors = true,
            Banned = true,
            CanReattest = true,
            AgentVersion = true,
        };

        // Act + Assert
        WireAssert.Encodes(mask, WireBytes.Of(
            0x10, 0x01, 0x18, 0x01, 0x20, 0x01, 0x28, 0x01, 0x30, 0x01, 0x38, 0x01, 0x40, 0x01));
    }

    [Test]
    public void AttestationData_TypeAndPayload_EncodesStringThenBytes()
    {
        // Arrange
        var data = new AttestationData { Type = "join_token", Payload = ByteString.CopyFromUtf8("tok") };

        // Act + Assert
        WireAssert.Encodes(data, WireBytes.Of(
            0x0a, 0x0a, "join_token",                         // 1 type
            0x12, 0x03, "tok"));                              // 2 payload
    }

    [Test]
    public void JoinToken_ValueAndExpiry_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var token = new JoinToken { Value = "tok", ExpiresAt = 300 };

        // Act + Assert
        WireAssert.Encodes(token, WireBytes.Of(0x0a, 0x03, "tok", 0x10, 0xac, 0x02));
    }
}
