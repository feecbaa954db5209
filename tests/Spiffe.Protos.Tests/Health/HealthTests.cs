using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Protos.Tests.Health;

/// <summary>Pins grpc.health.v1: messages, status values and the service shape probes rely on.</summary>
[TestFixture]
public sealed class HealthTests
{
    [Test]
    public void HealthCheckRequest_Service_EncodesFieldOne()
    {
        // Arrange
        var request = new HealthCheckRequest { Service = "svc" };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x03, "svc"));
    }

    [TestCase("Serving", 0x01)]
    [TestCase("NotServing", 0x02)]
    [TestCase("ServiceUnknown", 0x03)]
    public void HealthCheckResponse_Status_EncodesEnumAsFieldOne(string status, int value)
    {
        // Arrange
        var response = new HealthCheckResponse
        {
            Status = Enum.Parse<HealthCheckResponse.Types.ServingStatus>(status),
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x08, value));
    }

    [Test]
    public void HealthCheckResponse_Unknown_EncodesNothing()
    {
        // Arrange
        var response = new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Unknown };

        // Act + Assert
        WireAssert.Encodes(response, []);
    }

    [Test]
    public void Service_Shape_IsCheckUnaryAndWatchServerStreaming()
    {
        // Act
        var service = HealthReflection.Descriptor.Services.Single();
        var check = service.FindMethodByName("Check");
        var watch = service.FindMethodByName("Watch");

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(service.FullName, Is.EqualTo("grpc.health.v1.Health"));
            Assert.That(service.Methods.Select(m => m.Name), Is.EqualTo(new[] { "Check", "Watch" }));
            Assert.That(check.InputType.FullName, Is.EqualTo("grpc.health.v1.HealthCheckRequest"));
            Assert.That(check.OutputType.FullName, Is.EqualTo("grpc.health.v1.HealthCheckResponse"));
            Assert.That(check.IsClientStreaming || check.IsServerStreaming, Is.False);
            Assert.That(watch.InputType.FullName, Is.EqualTo("grpc.health.v1.HealthCheckRequest"));
            Assert.That(watch.OutputType.FullName, Is.EqualTo("grpc.health.v1.HealthCheckResponse"));
            Assert.That(watch.IsClientStreaming, Is.False);
            Assert.That(watch.IsServerStreaming, Is.True);
        }
    }
}
