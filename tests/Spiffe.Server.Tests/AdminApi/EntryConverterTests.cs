using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Server.AdminApi;
using Selector = Spiffe.Proto.Spire.Types.Selector;
using Spiffe.Server.Api;

namespace Spiffe.Server.Tests.AdminApi;

[TestFixture]
public sealed class EntryConverterTests
{
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    private static Entry ValidEntry()
    {
        var entry = new Entry
        {
            SpiffeId = new SPIFFEID { TrustDomain = "example.org", Path = "/web" },
            ParentId = new SPIFFEID { TrustDomain = "example.org", Path = "/spire/agent/join_token/t" },
        };
        entry.Selectors.Add(new Selector { Type = "unix", Value = "uid:1000" });
        return entry;
    }

    private static IEnumerable<TestCaseData> InvalidEntries()
    {
        yield return new TestCaseData((Action<Entry>)(e => e.SpiffeId = null), "invalid spiffe ID: request must specify SPIFFE ID").SetName("MissingSpiffeId");
        yield return new TestCaseData((Action<Entry>)(e => e.SpiffeId.TrustDomain = "other.org"), "invalid spiffe ID: \"spiffe://other.org/web\" is not a member of trust domain \"example.org\"").SetName("ForeignSpiffeId");
        yield return new TestCaseData((Action<Entry>)(e => e.SpiffeId.Path = "/spire/agent/x"), "invalid spiffe ID: \"spiffe://example.org/spire/agent/x\" is not a workload in trust domain \"example.org\"; path is in the reserved namespace").SetName("ReservedSpiffeId");
        yield return new TestCaseData((Action<Entry>)(e => e.SpiffeId.Path = "web"), "invalid spiffe ID: ").SetName("PathWithoutSlash");
        yield return new TestCaseData((Action<Entry>)(e => e.ParentId.Path = string.Empty), "invalid parent ID: \"spiffe://example.org\" is not a member of trust domain \"example.org\"; path is empty").SetName("ParentIsTrustDomain");
        yield return new TestCaseData((Action<Entry>)(e => e.Selectors.Clear()), "selector list is empty").SetName("NoSelectors");
        yield return new TestCaseData((Action<Entry>)(e => e.Selectors[0].Type = "un:ix"), "invalid selector \"un:ix:uid:1000\": selector type contains ':'").SetName("TypeWithColon");
        yield return new TestCaseData((Action<Entry>)(e => e.Selectors[0].Value = string.Empty), "invalid selector \"unix:\": selector value is empty").SetName("EmptyValue");
        yield return new TestCaseData((Action<Entry>)(e => e.X509SvidTtl = -1), "x509_svid_ttl must not be negative").SetName("NegativeTtl");
        yield return new TestCaseData((Action<Entry>)(e => e.DnsNames.Add("bad_name.example")), "invalid DNS name \"bad_name.example\": ").SetName("BadDnsName");
        yield return new TestCaseData((Action<Entry>)(e => e.FederatesWith.Add("spiffe://")), "invalid federated trust domain: ").SetName("BadFederatedTrustDomain");
        yield return new TestCaseData((Action<Entry>)(e => e.Hint = new string('h', 1025)), "hint is too long, max length is 1024 characters").SetName("LongHint");
        yield return new TestCaseData((Action<Entry>)(e => e.Id = "a/b"), "invalid entry ID: only letters, digits, '-', '.' and '_' are allowed").SetName("BadEntryId");
        yield return new TestCaseData(
            (Action<Entry>)(e =>
            {
                e.StoreSvid = true;
                e.Selectors.Add(new Selector { Type = "k8s", Value = "ns:a" });
            }),
            "selector types must be the same when store_svid is enabled").SetName("StoreSvidMixedTypes");
    }

    [TestCaseSource(nameof(InvalidEntries))]
    public void ForCreate_InvalidField_ThrowsNamingTheField(object breakEntry, string expectedMessage)
    {
        // Arrange
        var entry = ValidEntry();
        ((Action<Entry>)breakEntry)(entry);

        // Act / Assert
        Assert.That(() => EntryConverter.ForCreate(entry, Td), Throws.TypeOf<AdminValidationException>().With.Message.StartsWith(expectedMessage));
    }

    [Test]
    public void ForCreate_ValidEntry_SortsSelectorsAndNormalisesTrustDomains()
    {
        // Arrange
        var entry = ValidEntry();
        entry.Selectors.Insert(0, new Selector { Type = "unix", Value = "uid:2000" });
        entry.Selectors.Add(new Selector { Type = "docker", Value = "label:a:b" });
        entry.FederatesWith.Add("spiffe://other.org");

        // Act
        var converted = EntryConverter.ForCreate(entry, Td);

        // Assert
        Assert.That(converted.Selectors.Select(s => s.ToString()), Is.EqualTo(new[] { "docker:label:a:b", "unix:uid:1000", "unix:uid:2000" }));
        Assert.That(converted.FederatesWith, Is.EqualTo(new[] { "other.org" }));
        Assert.That(converted.SpiffeId.ToString(), Is.EqualTo("spiffe://example.org/web"));
    }

    [Test]
    public void ForUpdate_InputMask_ChangesOnlyMaskedFields()
    {
        // Arrange
        var existing = EntryConverter.ForCreate(ValidEntry(), Td) with { Id = "e1", Hint = "old", X509SvidTtl = 60, RevisionNumber = 3 };
        var change = new Entry { Id = "e1", Hint = "new", X509SvidTtl = 999 };

        // Act
        var updated = EntryConverter.ForUpdate(change, new EntryMask { Hint = true }, existing, Td);

        // Assert
        Assert.That(updated.Hint, Is.EqualTo("new"));
        Assert.That(updated.X509SvidTtl, Is.EqualTo(60));
        Assert.That(updated.Selectors, Is.EqualTo(existing.Selectors));
        Assert.That(updated.RevisionNumber, Is.EqualTo(3));
    }

    [Test]
    public void ToProto_OutputMask_ReturnsIdAndMaskedFieldsOnly()
    {
        // Arrange
        var stored = EntryConverter.ForCreate(ValidEntry(), Td) with { Id = "e1", Hint = "h", RevisionNumber = 4 };

        // Act
        var proto = EntryMapping.ToProto(stored, new EntryMask { RevisionNumber = true });

        // Assert
        Assert.That(proto.Id, Is.EqualTo("e1"));
        Assert.That(proto.RevisionNumber, Is.EqualTo(4));
        Assert.That(proto.SpiffeId, Is.Null);
        Assert.That(proto.Selectors, Is.Empty);
        Assert.That(proto.Hint, Is.Empty);
    }

    [Test]
    public void ToProto_NoMask_ReturnsEveryField()
    {
        // Arrange
        var stored = EntryConverter.ForCreate(ValidEntry(), Td) with { Id = "e1", Hint = "h", CreatedAt = 77, JwtSvidIncludeJti = true };

        // Act
        var proto = EntryMapping.ToProto(stored, null);

        // Assert
        Assert.That(proto.SpiffeId.Path, Is.EqualTo("/web"));
        Assert.That(proto.ParentId.Path, Is.EqualTo("/spire/agent/join_token/t"));
        Assert.That(proto.Selectors, Has.Count.EqualTo(1));
        Assert.That(proto.Hint, Is.EqualTo("h"));
        Assert.That(proto.CreatedAt, Is.EqualTo(77));
        Assert.That(proto.AdditionalAttributes.JwtSvidIncludeJti, Is.True);
    }

    [Test]
    public void ForUpdate_StoredEntryUnchangedByFailedValidation()
    {
        // Arrange
        var existing = EntryConverter.ForCreate(ValidEntry(), Td) with { Id = "e1" };
        var change = new Entry { Id = "e1" };

        // Act / Assert
        Assert.That(() => EntryConverter.ForUpdate(change, new EntryMask { Selectors = true }, existing, Td), Throws.TypeOf<AdminValidationException>());
        Assert.That(existing.Selectors, Is.EqualTo(new[] { new DataStore.Selector("unix", "uid:1000") }));
    }
}
