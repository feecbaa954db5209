using Spiffe.Proto.Spire.Types;
using Spiffe.Server.Cli.Output;

namespace Spiffe.Server.Tests.Cli;

[TestFixture]
public sealed class EntryPrinterTests
{
    [Test]
    public void PrintFound_MinimalEntry_UsesSpireLayout()
    {
        // Arrange
        var entry = new Entry
        {
            Id = "e1",
            SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/web" },
            ParentId = new SPIFFEID { TrustDomain = "example.org", Path = "/spire/agent/join_token/t" },
            RevisionNumber = 2,
        };
        entry.Selectors.Add(new Selector { Type = "unix", Value = "uid:1000" });
        using var writer = new StringWriter();

        // Act
        EntryPrinter.PrintFound(writer, [entry]);

        // Assert
        Assert.That(writer.ToString(), Is.EqualTo(
            "Found 1 entry\n" +
            "Entry ID                : e1\n" +
            "SPIFFE ID               : spiffe://example.org/web\n" +
            "Parent ID               : spiffe://example.org/spire/agent/join_token/t\n" +
            "Revision                : 2\n" +
            "X509-SVID TTL           : default\n" +
            "JWT-SVID TTL            : default\n" +
            "Selector                : unix:uid:1000\n" +
            "\n"));
    }

    [Test]
    public void Print_EveryOptionalField_PrintsThemInSpireOrder()
    {
        // Arrange
        var entry = new Entry
        {
            Id = "e2",
            SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/db" },
            ParentId = new SPIFFEID { TrustDomain = "example.org", Path = "/spire/server" },
            Downstream = true,
            X509SvidTtl = 3600,
            JwtSvidTtl = 300,
            ExpiresAt = 1_900_000_000,
            Admin = true,
            StoreSvid = true,
            Hint = "internal",
            AdditionalAttributes = new Entry.Types.AdditionalAttributes { JwtSvidIncludeJti = true },
        };
        entry.Selectors.Add(new Selector { Type = "k8s", Value = "ns:prod" });
        entry.FederatesWith.Add("other.org");
        entry.DnsNames.Add("db.example.org");
        using var writer = new StringWriter();

        // Act
        EntryPrinter.Print(writer, entry);

        // Assert
        Assert.That(writer.ToString().Split('\n'), Is.EqualTo(new[]
        {
            "Entry ID                : e2",
            "SPIFFE ID               : spiffe://example.org/db",
            "Parent ID               : spiffe://example.org/spire/server",
            "Revision                : 0",
            "Downstream              : true",
            "X509-SVID TTL           : 3600",
            "JWT-SVID TTL            : 300",
            "Expiration time         : 2030-03-17 17:46:40 +0000 UTC",
            "Selector                : k8s:ns:prod",
            "FederatesWith           : other.org",
            "DNS name                : db.example.org",
            "Admin                   : true",
            "StoreSvid               : true",
            "Hint                    : internal",
            "JwtSvidIncludeJti       : true",
            string.Empty,
            string.Empty,
        }));
    }

    [Test]
    public void PrintFound_NoEntries_SaysFound0Entries()
    {
        // Arrange
        using var writer = new StringWriter();

        // Act
        EntryPrinter.PrintFound(writer, []);

        // Assert
        Assert.That(writer.ToString(), Is.EqualTo("Found 0 entries\n"));
    }
}
