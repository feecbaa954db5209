namespace Spiffe.Core.Tests.Ids;

[TestFixture]
public sealed class SpiffeIdTests
{
    private const string Prefix = "spiffe://example.org/";

    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");

    public static IEnumerable<TestCaseData> ValidIds()
    {
        yield return new TestCaseData("spiffe://example.org/web", "example.org", "/web").SetName("ID-1 lowercase scheme");
        yield return new TestCaseData("spiffe://a/b", "a", "/b").SetName("ID-2 one-letter trust domain");
        yield return new TestCaseData("spiffe://prod_1.example-co.org/x", "prod_1.example-co.org", "/x").SetName("ID-3 trust domain charset");
        yield return new TestCaseData("spiffe://example.org/A", "example.org", "/A").SetName("ID-6 plain letter");
        yield return new TestCaseData("spiffe://10.0.0.1/x", "10.0.0.1", "/x").SetName("ID-7 IPv4 trust domain");
        yield return new TestCaseData("spiffe://a.b.c/x", "a.b.c", "/x").SetName("ID-8 dotted labels");
        yield return new TestCaseData("spiffe://" + new string('a', 255) + "/x", new string('a', 255), "/x").SetName("ID-9 255-byte trust domain");
        yield return new TestCaseData("spiffe://example.org/ns/Prod/sa/web_1-a.b", "example.org", "/ns/Prod/sa/web_1-a.b").SetName("ID-10 path charset");
        yield return new TestCaseData("spiffe://example.org/a/b", "example.org", "/a/b").SetName("ID-11 two segments");
        yield return new TestCaseData("spiffe://example.org/.a", "example.org", "/.a").SetName("ID-12 leading dot segment");
        yield return new TestCaseData("spiffe://example.org/..a", "example.org", "/..a").SetName("ID-12 leading dots segment");
        yield return new TestCaseData("spiffe://example.org/...", "example.org", "/...").SetName("ID-12 three dots segment");
        yield return new TestCaseData("spiffe://example.org", "example.org", string.Empty).SetName("ID-13 trust domain ID");
        yield return new TestCaseData(Prefix + new string('a', 2048 - Prefix.Length), "example.org", "/" + new string('a', 2048 - Prefix.Length)).SetName("ID-15 2048-byte ID");
    }

    public static IEnumerable<TestCaseData> InvalidIds()
    {
        yield return new TestCaseData(string.Empty, "empty").SetName("empty string");
        yield return new TestCaseData("http://example.org/web", "scheme must be \"spiffe://\"").SetName("ID-1 http scheme");
        yield return new TestCaseData("spiffe:/example.org/web", "scheme must be \"spiffe://\"").SetName("ID-1 single slash");
        yield return new TestCaseData("spiffe:example.org", "scheme must be \"spiffe://\"").SetName("ID-1 no slashes");
        yield return new TestCaseData("SPIFFE://example.org/web", "lowercase \"spiffe://\"").SetName("ID-1 uppercase scheme");
        yield return new TestCaseData("spiffe:///web", "trust domain is missing").SetName("ID-2 empty host with path");
        yield return new TestCaseData("spiffe://", "trust domain is missing").SetName("ID-2 scheme only");
        yield return new TestCaseData("spiffe://Example.org/x", "trust domain must be lowercase").SetName("ID-3 uppercase trust domain");
        yield return new TestCaseData("spiffe://ex$ample.org/x", "trust domain characters are limited").SetName("ID-3 dollar in trust domain");
        yield return new TestCaseData("spiffe://exämple.org/x", "trust domain characters are limited").SetName("ID-3 non-ASCII trust domain");
        yield return new TestCaseData("spiffe://user@example.org/x", "userinfo").SetName("ID-4 userinfo");
        yield return new TestCaseData("spiffe://example.org:8443/x", "port").SetName("ID-5 port");
        yield return new TestCaseData("spiffe://example.org/%41", "percent-encoding").SetName("ID-6 percent in path");
        yield return new TestCaseData("spiffe://ex%61mple.org/x", "percent-encoding").SetName("ID-6 percent in trust domain");
        yield return new TestCaseData("spiffe://[::1]/x", "IPv6").SetName("ID-7 IPv6 literal");
        yield return new TestCaseData("spiffe://example.org./x", "labels must not be empty").SetName("ID-8 trailing dot");
        yield return new TestCaseData("spiffe://.example.org/x", "labels must not be empty").SetName("ID-8 leading dot");
        yield return new TestCaseData("spiffe://a..b/x", "labels must not be empty").SetName("ID-8 double dot");
        yield return new TestCaseData("spiffe://" + new string('a', 256) + "/x", "longer than 255 bytes").SetName("ID-9 256-byte trust domain");
        yield return new TestCaseData("spiffe://example.org/a b", "path segment characters").SetName("ID-10 space");
        yield return new TestCaseData("spiffe://example.org/a+b", "path segment characters").SetName("ID-10 plus");
        yield return new TestCaseData("spiffe://example.org/a:b", "path segment characters").SetName("ID-10 colon");
        yield return new TestCaseData("spiffe://example.org/a@b", "path segment characters").SetName("ID-10 at sign");
        yield return new TestCaseData("spiffe://example.org/é", "path segment characters").SetName("ID-10 non-ASCII");
        yield return new TestCaseData("spiffe://example.org/a~b", "path segment characters").SetName("ID-10 tilde");
        yield return new TestCaseData("spiffe://example.org//a", "empty segments").SetName("ID-11 leading empty segment");
        yield return new TestCaseData("spiffe://example.org/a//b", "empty segments").SetName("ID-11 inner empty segment");
        yield return new TestCaseData("spiffe://example.org/./a", "'.' or '..' segments").SetName("ID-12 dot segment");
        yield return new TestCaseData("spiffe://example.org/a/..", "'.' or '..' segments").SetName("ID-12 trailing dot-dot segment");
        yield return new TestCaseData("spiffe://example.org/a/./b", "'.' or '..' segments").SetName("ID-12 inner dot segment");
        yield return new TestCaseData("spiffe://example.org/", "must not end with '/'").SetName("ID-13 root trailing slash");
        yield return new TestCaseData("spiffe://example.org/web/", "must not end with '/'").SetName("ID-13 path trailing slash");
        yield return new TestCaseData("spiffe://example.org/web?x=1", "query").SetName("ID-14 query in path");
        yield return new TestCaseData("spiffe://example.org?x=1", "query").SetName("ID-14 query after trust domain");
        yield return new TestCaseData("spiffe://example.org/web#f", "fragment").SetName("ID-14 fragment");
        yield return new TestCaseData(Prefix + new string('a', 2049 - Prefix.Length), "longer than 2048 bytes").SetName("ID-15 2049-byte ID");
        yield return new TestCaseData("spiffe://example.org/" + new string('é', 1020), "longer than 2048 bytes").SetName("ID-15 length counted in UTF-8 bytes");
    }

    [TestCaseSource(nameof(ValidIds))]
    public void Parse_ValidId_ExposesParts(string text, string trustDomain, string path)
    {
        // Act
        var id = SpiffeId.Parse(text);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(id.TrustDomain.Name, Is.EqualTo(trustDomain));
            Assert.That(id.Path, Is.EqualTo(path));
            Assert.That(id.ToString(), Is.EqualTo(text));
            Assert.That(id.IsZero, Is.False);
        });
    }

    [TestCaseSource(nameof(ValidIds))]
    public void TryParse_ValidId_ReturnsTrue(string text, string trustDomain, string path)
    {
        // Act
        var ok = SpiffeId.TryParse(text, out var id);

        // Assert
        Assert.That(ok, Is.True);
        Assert.That(id, Is.EqualTo(SpiffeId.FromPath(TrustDomain.Parse(trustDomain), path)));
    }

    [TestCaseSource(nameof(InvalidIds))]
    public void Parse_InvalidId_ThrowsNamingTheRule(string text, string rule)
    {
        // Act
        var ex = Assert.Throws<SpiffeIdException>(() => SpiffeId.Parse(text));

        // Assert
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [TestCaseSource(nameof(InvalidIds))]
    public void TryParse_InvalidId_ReturnsFalseAndZero(string text, string rule)
    {
        // Act
        var ok = SpiffeId.TryParse(text, out var id);

        // Assert
        Assert.That(ok, Is.False, rule);
        Assert.That(id.IsZero, Is.True);
    }

    [Test]
    public void TryParse_Null_ReturnsFalse()
    {
        Assert.That(SpiffeId.TryParse(null, out _), Is.False);
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => SpiffeId.Parse(null!));
    }

    [Test]
    public void Equals_PathDiffersInCase_NotEqual()
    {
        // Arrange
        var upper = SpiffeId.Parse("spiffe://example.org/Web");
        var lower = SpiffeId.Parse("spiffe://example.org/web");

        // Assert
        Assert.That(upper, Is.Not.EqualTo(lower));
    }

    [Test]
    public void Equals_SameText_EqualWithSameHashCode()
    {
        // Arrange
        var a = SpiffeId.Parse("spiffe://example.org/web");
        var b = SpiffeId.FromSegments(ExampleOrg, "web");

        // Assert
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
    }

    [Test]
    public void IsRootPath_TrustDomainId_True()
    {
        Assert.That(SpiffeId.Parse("spiffe://example.org").IsRootPath, Is.True);
    }

    [Test]
    public void IsRootPath_WorkloadId_False()
    {
        Assert.That(SpiffeId.Parse("spiffe://example.org/web").IsRootPath, Is.False);
    }

    [Test]
    public void MemberOf_SameTrustDomain_True()
    {
        Assert.That(SpiffeId.Parse("spiffe://example.org/web").MemberOf(ExampleOrg), Is.True);
    }

    [Test]
    public void MemberOf_OtherTrustDomain_False()
    {
        Assert.That(SpiffeId.Parse("spiffe://example.com/web").MemberOf(ExampleOrg), Is.False);
    }

    [Test]
    public void MemberOf_ZeroId_False()
    {
        Assert.That(default(SpiffeId).MemberOf(default), Is.False);
    }

    [Test]
    public void Default_IsZero_EmptyString()
    {
        // Arrange
        var id = default(SpiffeId);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(id.IsZero, Is.True);
            Assert.That(id.ToString(), Is.Empty);
            Assert.That(id.Path, Is.Empty);
        });
    }

    [Test]
    public void FromPath_ValidPath_BuildsId()
    {
        Assert.That(SpiffeId.FromPath(ExampleOrg, "/ns/prod").ToString(), Is.EqualTo("spiffe://example.org/ns/prod"));
    }

    [Test]
    public void FromPath_EmptyPath_TrustDomainId()
    {
        Assert.That(SpiffeId.FromPath(ExampleOrg, string.Empty), Is.EqualTo(ExampleOrg.Id));
    }

    [TestCase("web", "start with '/'")]
    [TestCase("/web/", "must not end with '/'")]
    [TestCase("/a//b", "empty segments")]
    [TestCase("/a/../b", "'.' or '..' segments")]
    [TestCase("/%41", "percent-encoding")]
    public void FromPath_InvalidPath_Throws(string path, string rule)
    {
        var ex = Assert.Throws<SpiffeIdException>(() => SpiffeId.FromPath(ExampleOrg, path));
        Assert.That(ex.Message, Does.Contain(rule));
    }

    [Test]
    public void FromPath_ZeroTrustDomain_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => SpiffeId.FromPath(default, "/web"));
    }

    [Test]
    public void FromPath_ResultLongerThan2048Bytes_Throws()
    {
        // Arrange
        var path = "/" + new string('a', 2049 - Prefix.Length);

        // Act
        var ex = Assert.Throws<SpiffeIdException>(() => SpiffeId.FromPath(ExampleOrg, path));

        // Assert
        Assert.That(ex.Message, Does.Contain("longer than 2048 bytes"));
    }

    [Test]
    public void FromSegments_Segments_JoinedWithSlash()
    {
        Assert.That(SpiffeId.FromSegments(ExampleOrg, "ns", "prod", "sa", "web").Path, Is.EqualTo("/ns/prod/sa/web"));
    }

    [Test]
    public void FromSegments_NoSegments_TrustDomainId()
    {
        Assert.That(SpiffeId.FromSegments(ExampleOrg).IsRootPath, Is.True);
    }

    [TestCase("", "empty segments")]
    [TestCase(".", "'.' or '..' segments")]
    [TestCase("..", "'.' or '..' segments")]
    [TestCase("a/b", "must not contain '/'")]
    [TestCase("a b", "path segment characters")]
    [TestCase("a?b", "query")]
    public void FromSegments_InvalidSegment_Throws(string segment, string rule)
    {
        var ex = Assert.Throws<SpiffeIdException>(() => SpiffeId.FromSegments(ExampleOrg, "ok", segment));
        Assert.That(ex.Message, Does.Contain(rule));
    }
}
