using Google.Protobuf.Reflection;
using Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Types;

/// <summary>
/// Pins spire.api.types.Entry and EntryMask. Fields 1–15 have one-byte tags; field 16 needs a
/// two-byte varint tag (16 &lt;&lt; 3 | wire_type = 128 + wire_type → 0x80|wt, 0x01).
/// </summary>
[TestFixture]
public sealed class EntryTypesTests
{
    [Test]
    public void Entry_AllSixteenFieldsSet_EncodesEachWithItsNumberAndType()
    {
        // Arrange
        var entry = new Entry
        {
            Id = "e1",
            SpiffeId = new SPIFFEID { TrustDomain = "td", Path = "/w" },
            ParentId = new SPIFFEID { TrustDomain = "td", Path = "/a" },
            Selectors = { new Selector { Type = "unix", Value = "uid:0" } },
            X509SvidTtl = 3600,
            FederatesWith = { "fed" },
            Admin = true,
            Downstream = true,
            ExpiresAt = 300,
            DnsNames = { "a.b" },
            RevisionNumber = 2,
            StoreSvid = true,
            JwtSvidTtl = 300,
            Hint = "h",
            CreatedAt = 1,
            AdditionalAttributes = new Entry.Types.AdditionalAttributes
            {
                DisableX509SvidPrefetch = true,
                JwtSvidIncludeJti = true,
            },
        };

        // Act + Assert
        WireAssert.Encodes(entry, WireBytes.Of(
            0x0a, 0x02, "e1",                                 // 1 id
            0x12, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/w",   // 2 spiffe_id { 1 trust_domain, 2 path }
            0x1a, 0x08, 0x0a, 0x02, "td", 0x12, 0x02, "/a",   // 3 parent_id
            0x22, 0x0d, 0x0a, 0x04, "unix", 0x12, 0x05, "uid:0", // 4 selectors[0] { 1 type, 2 value }
            0x28, 0x90, 0x1c,                                 // 5 x509_svid_ttl = 3600 (varint)
            0x32, 0x03, "fed",                                // 6 federates_with[0]
            0x38, 0x01,                                       // 7 admin
            0x40, 0x01,                                       // 8 downstream
            0x48, 0xac, 0x02,                                 // 9 expires_at = 300
            0x52, 0x03, "a.b",                                // 10 dns_names[0]
            0x58, 0x02,                                       // 11 revision_number
            0x60, 0x01,                                       // 12 store_svid
            0x68, 0xac, 0x02,                                 // 13 jwt_svid_ttl = 300
            0x72, 0x01, "h",                                  // 14 hint
            0x78, 0x01,                                       // 15 created_at
            0x82, 0x01, 0x04, 0x08, 0x01, 0x10, 0x01));       // 16 additional_attributes { 1, 2 }
    }

    [Test]
    public void Entry_NegativeTtl_EncodesInt32AsTenByteVarint()
    {
        // Arrange
        var entry = new Entry { X509SvidTtl = -1 };

        // Act + Assert
        WireAssert.Encodes(entry, WireBytes.Of(
            0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)); // 5 x509_svid_ttl = -1
    }

    [Test]
    public void AdditionalAttributes_JtiOnly_EncodesFieldTwo()
    {
        // Arrange
        var attributes = new Entry.Types.AdditionalAttributes { JwtSvidIncludeJti = true };

        // Act + Assert
        WireAssert.Encodes(attributes, WireBytes.Of(0x10, 0x01));
    }

    [Test]
    public void EntryMask_AllFieldsSet_EncodesBoolsTwoToSixteen()
    {
        // Arrange
        var mask = new EntryMask
        {
            SpiffeId = true,
            ParentId = true,
            Selectors = true,
            X509SvidTtl = true,
            FederatesWith = true,
            Admin = true,
            Downstream = true,
            ExpiresAt = true,
            DnsNames = true,
            RevisionNumber = true,
            StoreSvid = true,
            JwtSvidTtl = true,
            Hint = true,
            CreatedAt = true,
            AdditionalAttributes = true,
        };

        // Act + Assert
        WireAssert.Encodes(mask, WireBytes.Of(
            0x10, 0x01, 0x18, 0x01, 0x20, 0x01, 0x28, 0x01, 0x30, 0x01, // 2..6
            0x38, 0x01, 0x40, 0x01, 0x48, 0x01, 0x50, 0x01, 0x58, 0x01, // 7..11
            0x60, 0x01, 0x68, 0x01, 0x70, 0x01, 0x78, 0x01,             // 12..15
            0x80, 0x01, 0x01));                                         // 16 (two-byte tag)
    }

    [Test]
    public void EntryMask_Descriptor_HasNoFieldOne()
    {
        // Act
        var fields = EntryMask.Descriptor.Fields.InFieldNumberOrder();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(EntryMask.Descriptor.FindFieldByNumber(1), Is.Null);
            Assert.That(fields.Select(f => f.FieldNumber), Is.EqualTo(Enumerable.Range(2, 15)));
            Assert.That(fields.Select(f => f.FieldType), Is.All.EqualTo(FieldType.Bool));
        }
    }
}
