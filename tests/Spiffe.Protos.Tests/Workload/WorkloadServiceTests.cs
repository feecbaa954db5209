using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Protos.Tests.Workload;

/// <summary>
/// Pins the Workload API service shape: the proto has no package, so the service full name
/// (and hence every method path, /SpiffeWorkloadAPI/Method) is exactly what SPIFFE clients call.
/// </summary>
[TestFixture]
public sealed class WorkloadServiceTests
{
    // name, request type, response type, server streaming (no Workload API method streams requests)
    private static readonly object[] Methods =
    [
        new object[] { "FetchX509SVID", "X509SVIDRequest", "X509SVIDResponse", true },
        new object[] { "FetchX509Bundles", "X509BundlesRequest", "X509BundlesResponse", true },
        new object[] { "FetchJWTSVID", "JWTSVIDRequest", "JWTSVIDResponse", false },
        new object[] { "FetchJWTBundles", "JWTBundlesRequest", "JWTBundlesResponse", true },
        new object[] { "ValidateJWTSVID", "ValidateJWTSVIDRequest", "ValidateJWTSVIDResponse", false },
        new object[] { "FetchWITSVID", "WITSVIDRequest", "WITSVIDResponse", true },
        new object[] { "FetchWITBundles", "WITBundlesRequest", "WITBundlesResponse", true },
    ];

    [Test]
    public void File_Package_IsEmpty()
    {
        // Act
        var file = WorkloadReflection.Descriptor;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(file.Package, Is.Empty);
            Assert.That(file.Services, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public void Service_FullName_IsSpiffeWorkloadApiWithoutPackage()
    {
        // Act
        var service = WorkloadReflection.Descriptor.Services[0];

        // Assert
        Assert.That(service.FullName, Is.EqualTo("SpiffeWorkloadAPI"));
    }

    [Test]
    public void Service_Methods_AreExactlyTheSevenWorkloadApiRpcsInOrder()
    {
        // Act
        var names = WorkloadReflection.Descriptor.Services[0].Methods.Select(m => m.Name);

        // Assert
        Assert.That(names, Is.EqualTo(Methods.Cast<object[]>().Select(m => (string)m[0])));
    }

    [TestCaseSource(nameof(Methods))]
    public void Method_Shape_MatchesSpecification(string name, string request, string response, bool serverStreaming)
    {
        // Act
        var method = WorkloadReflection.Descriptor.Services[0].FindMethodByName(name);

        // Assert
        Assert.That(method, Is.Not.Null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(method.FullName, Is.EqualTo("SpiffeWorkloadAPI." + name));
            Assert.That(method.InputType.FullName, Is.EqualTo(request));
            Assert.That(method.OutputType.FullName, Is.EqualTo(response));
            Assert.That(method.IsClientStreaming, Is.False);
            Assert.That(method.IsServerStreaming, Is.EqualTo(serverStreaming));
        }
    }
}
