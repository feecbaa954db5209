using AgentRevocation = Spiffe.Proto.Agent.Revocation.V1;
using ServerRevocation = Spiffe.Proto.Server.Revocation.V1;

namespace Spiffe.Protos.Tests.Tasks;

/// <summary>
/// Pins the revocation protos: the agent's public stream (spiffe.agent.revocation.v1.Revocation/Watch) and the server
/// relay (spiffe.server.revocation.v1.RevocationRelay) that agents publish to and list from.
/// </summary>
[TestFixture]
public sealed class RevocationServicesTests
{
    [Test]
    public void AgentFile_Service_IsRevocationWithServerStreamingWatch()
    {
        // Act
        var file = AgentRevocation.RevocationReflection.Descriptor;
        var watch = file.Services[0].FindMethodByName("Watch");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Package, Is.EqualTo("spiffe.agent.revocation.v1"));
            Assert.That(file.Services.Select(s => s.FullName), Is.EqualTo(new[] { "spiffe.agent.revocation.v1.Revocation" }));
            Assert.That(file.Services[0].Methods, Has.Count.EqualTo(1));
            Assert.That(watch.IsServerStreaming, Is.True);
            Assert.That(watch.IsClientStreaming, Is.False);
            Assert.That(watch.OutputType.FullName, Is.EqualTo("spiffe.agent.revocation.v1.RevocationEvent"));
        }
    }

    [Test]
    public void RevokedCredential_Jti_EncodesFieldsOneToSevenWithoutSerial()
    {
        // Arrange
        var revoked = new AgentRevocation.RevokedCredential
        {
            TaskId = "T",
            SpiffeId = "s",
            Jti = "j",
            ExpiresAt = 1,
            RevokedAt = 2,
            Reason = "r",
        };

        // Act + Assert
        WireAssert.Encodes(revoked, WireBytes.Of(
            0x0a, 0x01, "T",           // 1 task_id
            0x12, 0x01, "s",           // 2 spiffe_id
            0x1a, 0x01, "j",           // 3 jti
            0x28, 0x01,                // 5 expires_at
            0x30, 0x02,                // 6 revoked_at
            0x3a, 0x01, "r"));         // 7 reason
    }

    [Test]
    public void RevokedCredential_Serial_ReplacesJtiInTheOneof()
    {
        // Arrange
        var revoked = new AgentRevocation.RevokedCredential { Jti = "j" };

        // Act
        revoked.X509Serial = "a";

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(revoked.CredentialCase, Is.EqualTo(AgentRevocation.RevokedCredential.CredentialOneofCase.X509Serial));
            WireAssert.Encodes(revoked, WireBytes.Of(0x22, 0x01, "a"));   // 4 x509_serial
        }
    }

    [Test]
    public void RevocationEvent_Snapshot_EncodesFlagThenCredentials()
    {
        // Arrange
        var message = new AgentRevocation.RevocationEvent { Snapshot = true, Revoked = { new AgentRevocation.RevokedCredential { TaskId = "T" } } };

        // Act + Assert
        WireAssert.Encodes(message, WireBytes.Of(
            0x08, 0x01,                // 1 snapshot
            0x12, 0x03,                // 2 revoked, 3 bytes
            0x0a, 0x01, "T"));         //   1 task_id
    }

    [Test]
    public void RelayFile_Service_HasUnaryPublishAndList()
    {
        // Act
        var service = ServerRevocation.RevocationReflection.Descriptor.Services.Single();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(service.FullName, Is.EqualTo("spiffe.server.revocation.v1.RevocationRelay"));
            Assert.That(service.Methods.Select(m => m.Name), Is.EqualTo(new[] { "PublishRevocations", "ListRevocations" }));
            Assert.That(service.Methods.Any(m => m.IsServerStreaming || m.IsClientStreaming), Is.False);
        }
    }

    [Test]
    public void RelayedRevocation_SerialAndAgent_EncodesFieldsOneFourAndEight()
    {
        // Arrange
        var relayed = new ServerRevocation.RelayedRevocation { TaskId = "T", X509Serial = "a", AgentId = "g" };

        // Act + Assert
        WireAssert.Encodes(relayed, WireBytes.Of(
            0x0a, 0x01, "T",           // 1 task_id
            0x22, 0x01, "a",           // 4 x509_serial
            0x42, 0x01, "g"));         // 8 agent_id
    }

    [Test]
    public void RelayMessages_Sequences_EncodeAsVarints()
    {
        // Arrange
        var list = new ServerRevocation.ListRevocationsResponse
        {
            Revocations = { new ServerRevocation.RelayedRevocation { TaskId = "T" } },
            Sequence = 2,
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(new ServerRevocation.PublishRevocationsResponse { Sequence = 300 }, WireBytes.Of(0x08, 0xac, 0x02));
            WireAssert.Encodes(new ServerRevocation.ListRevocationsRequest { AfterSequence = 1 }, WireBytes.Of(0x08, 0x01));
            WireAssert.Encodes(list, WireBytes.Of(
                0x0a, 0x03, 0x0a, 0x01, "T",   // 1 revocations
                0x10, 0x02));                  // 2 sequence
        }
    }
}
