using Spiffe.Proto.Agent.Proof.V1;

namespace Spiffe.Protos.Tests.Proof;

/// <summary>
/// Pins the agent's workload proof oracle (spiffe.agent.proof.v1): the service and method names that form the
/// gRPC path, and the wire encoding of both messages.
/// </summary>
[TestFixture]
public sealed class WorkloadProofServiceTests
{
    // "spiffe://td/w" is 13 (0x0d) bytes, "https://t/x" is 11 (0x0b) bytes.
    private const string WorkloadId = "spiffe://td/w";
    private const string Target = "https://t/x";

    [Test]
    public void File_PackageAndService_AreSpiffeAgentProofV1WorkloadProof()
    {
        // Act
        var file = ProofReflection.Descriptor;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Package, Is.EqualTo("spiffe.agent.proof.v1"));
            Assert.That(file.Services, Has.Count.EqualTo(1));
            Assert.That(file.Services[0].FullName, Is.EqualTo("spiffe.agent.proof.v1.WorkloadProof"));
            Assert.That(file.Services[0].Methods.Select(m => m.Name), Is.EqualTo(new[] { "CreateProof" }));
        }
    }

    [Test]
    public void CreateProof_Shape_IsUnaryFromRequestToResponse()
    {
        // Act
        var method = ProofReflection.Descriptor.Services[0].FindMethodByName("CreateProof");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(method.FullName, Is.EqualTo("spiffe.agent.proof.v1.WorkloadProof.CreateProof"));
            Assert.That(method.InputType.FullName, Is.EqualTo("spiffe.agent.proof.v1.CreateProofRequest"));
            Assert.That(method.OutputType.FullName, Is.EqualTo("spiffe.agent.proof.v1.CreateProofResponse"));
            Assert.That(method.IsClientStreaming, Is.False);
            Assert.That(method.IsServerStreaming, Is.False);
        }
    }

    [Test]
    public void CreateProofRequest_AllFieldsSet_EncodesFieldsOneToSeven()
    {
        // Arrange
        var request = new CreateProofRequest
        {
            TargetUri = Target,
            Method = "GET",
            SpiffeId = WorkloadId,
            AccessToken = "at",
            TxnToken = "tt",
            OtherTokens = { ["x-a"] = "v" },
            LifetimeSeconds = 300,
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x0b, Target,                  // 1 target_uri
            0x12, 0x03, "GET",                   // 2 method
            0x1a, 0x0d, WorkloadId,              // 3 spiffe_id
            0x22, 0x02, "at",                    // 4 access_token
            0x2a, 0x02, "tt",                    // 5 txn_token
            0x32, 0x08,                          // 6 other_tokens entry, 8 bytes
            0x0a, 0x03, "x-a",                   //   1 key
            0x12, 0x01, "v",                     //   2 value
            0x38, 0xac, 0x02));                  // 7 lifetime_seconds = 300 (varint)
    }

    [Test]
    public void CreateProofRequest_OnlyTargetUri_EncodesFieldOneOnly()
    {
        // Arrange
        var request = new CreateProofRequest { TargetUri = Target };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x0b, Target)); // 1 target_uri
    }

    [Test]
    public void CreateProofResponse_AllFieldsSet_EncodesFieldsOneToFour()
    {
        // Arrange
        var response = new CreateProofResponse
        {
            Wit = "a.b.c",
            Wpt = "d.e.f",
            SpiffeId = WorkloadId,
            WptExpiresAt = 1765456503,
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x05, "a.b.c",                 // 1 wit
            0x12, 0x05, "d.e.f",                 // 2 wpt
            0x1a, 0x0d, WorkloadId,              // 3 spiffe_id
            0x20, 0xf7, 0xf4, 0xea, 0xc9, 0x06)); // 4 wpt_expires_at = 1765456503 (varint)
    }
}
