using Spiffe.Server.AdminApi;

namespace Spiffe.Server.Tests.AdminApi;

[TestFixture]
public sealed class DnsNameValidatorTests
{
    [TestCase("example.org")]
    [TestCase("*.example.org")]
    [TestCase("a-b.c1.example")]
    [TestCase("localhost")]
    public void Validate_ValidName_ReturnsNull(string name)
    {
        // Act / Assert
        Assert.That(DnsNameValidator.Validate(name), Is.Null);
    }

    [TestCase("", "empty or only whitespace")]
    [TestCase("example.org.", "domain ends with dot")]
    [TestCase("a.*.example.org", "wildcard must be first label")]
    [TestCase("*x.example.org", "wildcard must be first label")]
    [TestCase("-a.example.org", "label \"-a\" must be letters, digits and inner hyphens")]
    [TestCase("a..example", "label \"\" must have 1 to 63 characters")]
    [TestCase("bücher.example", "name must be ascii")]
    public void Validate_InvalidName_SaysWhy(string name, string expected)
    {
        // Act / Assert
        Assert.That(DnsNameValidator.Validate(name), Is.EqualTo(expected));
    }
}
