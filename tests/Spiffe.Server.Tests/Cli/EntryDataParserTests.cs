using Spiffe.Server.Cli.Input;

namespace Spiffe.Server.Tests.Cli;

[TestFixture]
public sealed class EntryDataParserTests
{
    [Test]
    public void ParseEntries_SpireRegistrationJson_ReadsEveryField()
    {
        // Arrange
        const string json = """
            {"entries":[{"selectors":[{"type":"unix","value":"uid:1111"}],
              "spiffe_id":"spiffe://example.org/Blog","parent_id":"spiffe://example.org/spire/agent/join_token/TokenBlog",
              "x509_svid_ttl":200,"jwt_svid_ttl":30,"admin":true,"entryExpiry":1900000000,"dns_names":["blog.example.org"],
              "federates_with":["spiffe://other.org"],"hint":"blog","store_svid":false,"entry_id":"blog-1",
              "additional_attributes":{"jwt_svid_include_jti":true},"unknown_member":1}]}
            """;

        // Act
        var entries = EntryDataParser.ParseEntries(json);

        // Assert
        Assert.That(entries, Has.Count.EqualTo(1));
        var entry = entries[0];
        Assert.That(entry.Id, Is.EqualTo("blog-1"));
        Assert.That(entry.SpiffeId.Path, Is.EqualTo("/Blog"));
        Assert.That(entry.ParentId.Path, Is.EqualTo("/spire/agent/join_token/TokenBlog"));
        Assert.That(entry.Selectors[0].Type, Is.EqualTo("unix"));
        Assert.That(entry.Selectors[0].Value, Is.EqualTo("uid:1111"));
        Assert.That(entry.X509SvidTtl, Is.EqualTo(200));
        Assert.That(entry.JwtSvidTtl, Is.EqualTo(30));
        Assert.That(entry.Admin, Is.True);
        Assert.That(entry.ExpiresAt, Is.EqualTo(1_900_000_000));
        Assert.That(entry.DnsNames, Is.EqualTo(new[] { "blog.example.org" }));
        Assert.That(entry.FederatesWith, Is.EqualTo(new[] { "spiffe://other.org" }));
        Assert.That(entry.Hint, Is.EqualTo("blog"));
        Assert.That(entry.AdditionalAttributes.JwtSvidIncludeJti, Is.True);
    }

    [Test]
    public void ParseEntries_InvalidSpiffeId_Throws()
    {
        // Arrange
        const string json = """{"entries":[{"spiffe_id":"example.org/x","parent_id":"spiffe://example.org/p","selectors":[{"type":"a","value":"b"}]}]}""";

        // Act / Assert
        Assert.That(() => EntryDataParser.ParseEntries(json), Throws.TypeOf<CliException>().With.Message.StartsWith("invalid SPIFFE ID"));
    }

    [Test]
    public void ParseEntries_NotJson_Throws()
    {
        // Act / Assert
        Assert.That(() => EntryDataParser.ParseEntries("{entries:"), Throws.TypeOf<CliException>().With.Message.StartsWith("cannot parse entry data"));
    }

    [Test]
    public void ParseEntries_WrongMemberType_Throws()
    {
        // Act / Assert
        Assert.That(
            () => EntryDataParser.ParseEntries("""{"entries":[{"x509_svid_ttl":"long"}]}"""),
            Throws.TypeOf<CliException>().With.Message.EqualTo("cannot parse entry data: \"x509_svid_ttl\" has the wrong type"));
    }

    [Test]
    public void ParseIds_DeleteDocument_ReadsIds()
    {
        // Act
        var ids = EntryDataParser.ParseIds("""{"ids":["a","b"]}""");

        // Assert
        Assert.That(ids, Is.EqualTo(new[] { "a", "b" }));
    }
}
