using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.ServerApi.Mapping;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Agent.ServerApi.Tests.Mapping;

[TestFixture]
public sealed class ServerErrorsTests
{
    [TestCase(4, true, false, TestName = "FromRpcException_AgentBanned_IsBanned")]
    [TestCase(1, false, true, TestName = "FromRpcException_AgentExpired_ShouldReattest")]
    [TestCase(2, false, true, TestName = "FromRpcException_AgentNotAttested_ShouldReattest")]
    [TestCase(3, false, true, TestName = "FromRpcException_AgentNotActive_ShouldReattest")]
    [TestCase(5, false, true, TestName = "FromRpcException_AgentMustReattest_ShouldReattest")]
    [TestCase(0, false, false, TestName = "FromRpcException_UnknownReason_NeitherBannedNorReattest")]
    public void FromRpcException_PermissionDeniedDetails_MapsTheReason(int reason, bool banned, bool reattest)
    {
        // Arrange
        var exception = Denied(new PermissionDeniedDetails { Reason = (PermissionDeniedDetails.Types.Reason)reason });

        // Act
        var error = ServerErrors.FromRpcException(exception);

        // Assert
        Assert.That(error.StatusCode, Is.EqualTo(ServerStatusCode.PermissionDenied));
        Assert.That((int?)error.Reason, Is.EqualTo(reason));
        Assert.That(error.Message, Is.EqualTo("agent denied"));
        Assert.That(error.IsBanned, Is.EqualTo(banned));
        Assert.That(error.ShouldReattest, Is.EqualTo(reattest));
        Assert.That(error.InnerException, Is.SameAs(exception));
    }

    [Test]
    public void FromRpcException_PermissionDeniedWithoutDetails_HasNoReason()
    {
        // Act
        var error = ServerErrors.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, "nope")));

        // Assert
        Assert.That(error.Reason, Is.Null);
        Assert.That(error.IsBanned, Is.False);
        Assert.That(error.ShouldReattest, Is.False);
    }

    [Test]
    public void FromRpcException_OtherDetailType_HasNoReason()
    {
        // Act
        var error = ServerErrors.FromRpcException(Denied(new Google.Rpc.ErrorInfo { Reason = "x" }));

        // Assert
        Assert.That(error.Reason, Is.Null);
    }

    [Test]
    public void FromRpcException_ReasonFromANewerServer_IsUnknown()
    {
        // Act
        var error = ServerErrors.FromRpcException(Denied(new PermissionDeniedDetails { Reason = (PermissionDeniedDetails.Types.Reason)42 }));

        // Assert
        Assert.That(error.Reason, Is.EqualTo(PermissionDeniedReason.Unknown));
    }

    [Test]
    public void FromRpcException_MalformedStatusDetails_HasNoReason()
    {
        // Arrange
        var trailers = new Metadata { { "grpc-status-details-bin", new byte[] { 0xFF, 0xFF, 0xFF } } };

        // Act
        var error = ServerErrors.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied, "x"), trailers));

        // Assert
        Assert.That(error.StatusCode, Is.EqualTo(ServerStatusCode.PermissionDenied));
        Assert.That(error.Reason, Is.Null);
    }

    [Test]
    public void FromRpcException_Unavailable_KeepsCodeAndMessage()
    {
        // Act
        var error = ServerErrors.FromRpcException(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "connection refused")));

        // Assert
        Assert.That(error.StatusCode, Is.EqualTo(ServerStatusCode.Unavailable));
        Assert.That(error.Message, Is.EqualTo("connection refused"));
        Assert.That(error.Reason, Is.Null);
    }

    private static RpcException Denied(Google.Protobuf.IMessage detail) =>
        new Google.Rpc.Status
        {
            Code = (int)StatusCode.PermissionDenied,
            Message = "agent denied",
            Details = { Any.Pack(detail) },
        }.ToRpcException();
}
