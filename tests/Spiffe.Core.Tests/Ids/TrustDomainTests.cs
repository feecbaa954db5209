namespace Spiffe.Core.Tests.Ids;

[TestFixture]
public sealed class TrustDomainTests
{
    [TestCase("example.org")]
    [TestCase("prod_1.example-co.org")]
    [TestCase("10.0.0.1")]
    [TestCase("a")]
    public void Parse_ValidName_KeepsName(string name)
    {
        // Act
        var td = TrustDomain.Parse(name);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(td.Name, Is.EqualTo(name));
            Assert.That(td.ToString(), Is.EqualTo(name));
            Assert.That(td.IdString, Is.EqualTo("spiffe://" + name));
        });
    }

    [Test]
    public void Parse_255ByteName_Accepted()
    {
        Assert.That(TrustDomain.Parse(new string('a', 255)).Name, Has.Length.EqualTo(255));
    }

    [Test]
    public void Parse_256ByteName_Rejected()
    {
        var ex = Assert.Throws<SpiffeIdException>(() => TrustDomain.Parse(new string('a', 256)));
        Assert.That(ex.Message, Does.Contain("longer than 255 bytes"));
    }

    [TestCase("spiffe://example.org", "example.org")]
    [TestCase("spiffe://example.org/web/x", "example.org")]
    public void Parse_SpiffeId_TakesTrustDomain(string text, string expected)
    {
        Assert.That(TrustDomain.Parse(text).Name, Is.EqualTo(expected));
    }

    [TestCase("", "trust domain is missing")]
    [TestCase("Example.org", "must be lowercase")]
    [TestCase("ex$ample.org", "characters are limited")]
    [TestCase("user@example.org", "userinfo")]
    [TestCase("example.org:8443", "port")]
    [TestCase("ex%61mple.org", "percent-encoding")]
    [TestCase("[::1]", "IPv6")]
    [TestCase(".example.org", "labels must not be empty")]
    [TestCase("example.org.", "labels must not be empty")]
    [TestCase("a..b", "labels must not be empty")]
    [TestCase("example.org/web", "characters are limited")]
    [TestCase("spiffe://example.org/", "must not end with '/'")]
    [TestCase("SPIFFE://example.org", "lowercase \"spiffe://\"")]
    public void Parse_InvalidName_ThrowsNamingTheRule(string text, string rule)
    {
        var ex = Assert.Throws<SpiffeIdException>(() => TrustDomain.Parse(text));
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void TryParse_Invalid_ReturnsFalseAndZero()
    {
        // Act
        var ok = TrustDomain.TryParse("Example.org", out var td);

        // Assert
        Assert.That(ok, Is.False);
        Assert.That(td.IsZero, Is.True);
    }

    [Test]
    public void TryParse_Valid_ReturnsTrue()
    {
        // Act
        var ok = TrustDomain.TryParse("example.org", out var td);

        // Assert
        Assert.That(ok, Is.True);
        Assert.That(td.Name, Is.EqualTo("example.org"));
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.That(TrustDomain.TryParse(null, out _), Is.False);
    }

    [Test]
    public void Id_ValidTrustDomain_RootPathId()
    {
        // Act
        var id = TrustDomain.Parse("example.org").Id;

        // Assert
        Assert.That(id.IsRootPath, Is.True);
        Assert.That(id.ToString(), Is.EqualTo("spiffe://example.org"));
    }

    [Test]
    public void Id_Zero_ThrowsInvalidOperation()
    {
        Assert.Throws<InvalidOperationException>(() => _ = default(TrustDomain).Id);
    }

    [Test]
    public void Default_IsZero_EmptyName()
    {
        // Arrange
        var td = default(TrustDomain);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(td.IsZero, Is.True);
            Assert.That(td.Name, Is.Empty);
            Assert.That(td.IdString, Is.Empty);
        });
    }

    [Test]
    public void Equals_SameName_Equal()
    {
        Assert.That(TrustDomain.Parse("spiffe://example.org/a"), Is.EqualTo(TrustDomain.Parse("example.org")));
    }
}
