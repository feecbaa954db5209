using Google.Protobuf.WellKnownTypes;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>Pins spire.api.types.Status, PermissionDeniedDetails and Logger.</summary>
[TestFixture]
public sealed class StatusTypesTests
{
    [Test]
    public void Status_CodeAndMessage_EncodesVarintThenString()
    {
        // Arrange
        var status = new Status { Code = 5, Message = "nf" };

        // Act + Assert
        WireAssert.Encodes(status, WireBytes.Of(0x08, 0x05, 0x12, 0x02, "nf"));
    }

    [Test]
    public void PermissionDeniedDetails_MustReattest_EncodesReasonFive()
    {
        // Arrange
        var details = new PermissionDeniedDetails
        {
            Reason = PermissionDeniedDetails.Types.Reason.AgentMustReattest,
        };

        // Act + Assert
        WireAssert.Encodes(details, WireBytes.Of(0x08, 0x05));
    }

    [Test]
    public void PermissionDeniedDetails_Reasons_HaveSpireNumbers()
    {
        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)PermissionDeniedDetails.Types.Reason.Unknown, Is.Zero);
            Assert.That((int)PermissionDeniedDetails.Types.Reason.AgentExpired, Is.EqualTo(1));
            Assert.That((int)PermissionDeniedDetails.Types.Reason.AgentNotAttested, Is.EqualTo(2));
            Assert.That((int)PermissionDeniedDetails.Types.Reason.AgentNotActive, Is.EqualTo(3));
            Assert.That((int)PermissionDeniedDetails.Types.Reason.AgentBanned, Is.EqualTo(4));
            Assert.That((int)PermissionDeniedDetails.Types.Reason.AgentMustReattest, Is.EqualTo(5));
        }
    }

    [Test]
    public void PermissionDeniedDetails_PackedInAny_UsesSpireTypeUrl()
    {
        // Arrange
        var details = new PermissionDeniedDetails { Reason = PermissionDeniedDetails.Types.Reason.AgentBanned };

        // Act
        var any = Any.Pack(details);

        // Assert
        Assert.That(any.TypeUrl, Is.EqualTo("type.googleapis.com/spire.api.types.PermissionDeniedDetails"));
    }

    [Test]
    public void Logger_CurrentDebugLaunchInfo_EncodesEnumsSixAndFive()
    {
        // Arrange
        var logger = new Logger { CurrentLevel = LogLevel.Debug, LaunchLevel = LogLevel.Info };

        // Act + Assert
        WireAssert.Encodes(logger, WireBytes.Of(0x08, 0x06, 0x10, 0x05));
    }

    [Test]
    public void LogLevel_Values_RunFromUnspecifiedToTrace()
    {
        // Act
        var values = System.Enum.GetValues<LogLevel>().Select(v => (v.ToString(), (int)v));

        // Assert
        Assert.That(values, Is.EqualTo(new[]
        {
            ("Unspecified", 0), ("Panic", 1), ("Fatal", 2), ("Error", 3),
            ("Warn", 4), ("Info", 5), ("Debug", 6), ("Trace", 7),
        }));
    }
}
