using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Output;

namespace Spiffe.Server.Tests.Cli;

[TestFixture]
public sealed class ProtoJsonTests
{
    [Test]
    public void Format_Entry_UsesProtoNamesSortedKeysAndDefaults()
    {
        // Arrange
        var entry = new Entry { Id = "e1", SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/w" }, X509SvidTtl = 60 };

        // Act
        var json = ProtoJson.Format(entry);

        // Assert
        Assert.That(json, Does.StartWith("{\"admin\":false,\"created_at\":\"0\",\"dns_names\":[],\"downstream\":false,"));
        Assert.That(json, Does.Contain("\"spiffe_id\":{\"path\":\"/w\",\"trust_domain\":\"example.org\"}"));
        Assert.That(json, Does.Contain("\"x509_svid_ttl\":60"));
        Assert.That(json, Does.Not.Contain("parent_id"));
        Assert.That(json, Does.Not.Contain(' '));
    }

    [Test]
    public void Format_CountResponse_IsOneCompactObject()
    {
        // Act
        var json = ProtoJson.Format(new EntryApi.CountEntriesResponse { Count = 3 });

        // Assert
        Assert.That(json, Is.EqualTo("{\"count\":3}"));
    }
}
