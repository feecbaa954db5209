using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Protos.Tests.Workload;

/// <summary>
/// Pins the wire encoding of every Workload API message. Tags are field_number &lt;&lt; 3 | wire_type
/// (0 = varint, 2 = length-delimited); map entries are repeated submessages {1 key, 2 value}.
/// </summary>
[TestFixture]
public sealed class WorkloadMessagesTests
{
    // "spiffe://td/w" is 13 (0x0d) bytes, "spiffe://td" is 11 (0x0b) bytes.
    private const string WorkloadId = "spiffe://td/w";
    private const string TrustDomainId = "spiffe://td";

    [Test]
    public void X509Svid_AllFieldsSet_EncodesFieldsOneToFive()
    {
        // Arrange
        var svid = new X509SVID
        {
            SpiffeId = WorkloadId,
            X509Svid = ByteString.CopyFrom(0x30, 0x01),
            X509SvidKey = ByteString.CopyFrom(0x30, 0x02),
            Bundle = ByteString.CopyFrom(0x30, 0x03),
            Hint = "h",
        };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x0d, WorkloadId,   // 1 spiffe_id
            0x12, 0x02, 0x30, 0x01,   // 2 x509_svid
            0x1a, 0x02, 0x30, 0x02,   // 3 x509_svid_key
            0x22, 0x02, 0x30, 0x03,   // 4 bundle
            0x2a, 0x01, "h"));        // 5 hint
    }

    [Test]
    public void X509SvidResponse_SvidsCrlAndFederatedBundles_EncodesMapAsEntrySubmessage()
    {
        // Arrange
        var response = new X509SVIDResponse
        {
            Svids = { new X509SVID { SpiffeId = "a" } },
            Crl = { ByteString.CopyFrom(0x01), ByteString.CopyFrom(0x02, 0x03) },
            FederatedBundles = { [TrustDomainId] = ByteString.CopyFrom(0x30) },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x03, 0x0a, 0x01, "a",          // 1 svids[0] { 1 spiffe_id }
            0x12, 0x01, 0x01,                     // 2 crl[0]
            0x12, 0x02, 0x02, 0x03,               // 2 crl[1]
            0x1a, 0x10,                           // 3 federated_bundles entry, 16 bytes
            0x0a, 0x0b, TrustDomainId,            //   1 key
            0x12, 0x01, 0x30));                   //   2 value (bytes)
    }

    [Test]
    public void X509BundlesResponse_CrlAndBundles_EncodesCrlAsOneAndMapAsTwo()
    {
        // Arrange
        var response = new X509BundlesResponse
        {
            Crl = { ByteString.CopyFrom(0x05) },
            Bundles = { [TrustDomainId] = ByteString.CopyFrom(0x30, 0x31) },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x01, 0x05,                     // 1 crl[0]
            0x12, 0x11,                           // 2 bundles entry, 17 bytes
            0x0a, 0x0b, TrustDomainId,            //   1 key
            0x12, 0x02, 0x30, 0x31));             //   2 value (bytes)
    }

    [Test]
    public void JwtSvidRequest_AudiencesAndSpiffeId_EncodesRepeatedAudienceAsOne()
    {
        // Arrange
        var request = new JWTSVIDRequest { Audience = { "a", "bc" }, SpiffeId = WorkloadId };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x01, "a",                      // 1 audience[0]
            0x0a, 0x02, "bc",                     // 1 audience[1]
            0x12, 0x0d, WorkloadId));             // 2 spiffe_id
    }

    [Test]
    public void JwtSvidResponse_OneSvid_EncodesSvidsAsOne()
    {
        // Arrange
        var response = new JWTSVIDResponse { Svids = { new JWTSVID { SpiffeId = "a", Svid = "b" } } };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x06,                           // 1 svids[0], 6 bytes
            0x0a, 0x01, "a",                      //   1 spiffe_id
            0x12, 0x01, "b"));                    //   2 svid
    }

    [Test]
    public void JwtSvid_AllFieldsSet_EncodesFieldsOneToThree()
    {
        // Arrange
        var svid = new JWTSVID { SpiffeId = WorkloadId, Svid = "x.y.z", Hint = "h" };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x0d, WorkloadId,               // 1 spiffe_id
            0x12, 0x05, "x.y.z",                  // 2 svid
            0x1a, 0x01, "h"));                    // 3 hint
    }

    [Test]
    public void JwtBundlesResponse_OneBundle_EncodesMapEntryAsOne()
    {
        // Arrange
        var response = new JWTBundlesResponse
        {
            Bundles = { [TrustDomainId] = ByteString.CopyFromUtf8("{}") },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x11,                           // 1 bundles entry, 17 bytes
            0x0a, 0x0b, TrustDomainId,            //   1 key
            0x12, 0x02, "{}"));                   //   2 value (bytes)
    }

    [Test]
    public void ValidateJwtSvidRequest_AudienceAndSvid_EncodesSingularAudienceAsOne()
    {
        // Arrange
        var request = new ValidateJWTSVIDRequest { Audience = "aud", Svid = "x.y.z" };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x03, "aud",                    // 1 audience (singular string)
            0x12, 0x05, "x.y.z"));                // 2 svid
    }

    [Test]
    public void ValidateJwtSvidResponse_StringAndNumberClaims_EncodesClaimsAsStruct()
    {
        // Arrange
        var claims = new Struct();
        claims.Fields["sub"] = Value.ForString("x");
        claims.Fields["exp"] = Value.ForNumber(1.0);
        var response = new ValidateJWTSVIDResponse { SpiffeId = WorkloadId, Claims = claims };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x0d, WorkloadId,               // 1 spiffe_id
            0x12, 0x1e,                           // 2 claims (Struct), 30 bytes
            0x0a, 0x0a,                           //   1 fields entry, 10 bytes
            0x0a, 0x03, "sub",                    //     1 key
            0x12, 0x03, 0x1a, 0x01, "x",          //     2 value { 3 string_value }
            0x0a, 0x10,                           //   1 fields entry, 16 bytes
            0x0a, 0x03, "exp",                    //     1 key
            0x12, 0x09, 0x11,                     //     2 value { 2 number_value (fixed64) }
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f)); // 1.0 little-endian
    }

    [Test]
    public void WitSvidRequest_SpiffeId_EncodesFieldOne()
    {
        // Arrange
        var request = new WITSVIDRequest { SpiffeId = WorkloadId };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x0d, WorkloadId));
    }

    [Test]
    public void WitSvidResponse_OneSvid_EncodesSvidsAsOne()
    {
        // Arrange
        var response = new WITSVIDResponse { Svids = { new WITSVID { Hint = "h" } } };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x03,                           // 1 svids[0], 3 bytes
            0x22, 0x01, "h"));                    //   4 hint
    }

    [Test]
    public void WitSvid_AllFieldsSet_EncodesFieldsOneToFour()
    {
        // Arrange
        var svid = new WITSVID { SpiffeId = WorkloadId, WitSvid = "a.b.c", WitSvidKey = "{}", Hint = "h" };

        // Act + Assert
        WireAssert.Encodes(svid, WireBytes.Of(
            0x0a, 0x0d, WorkloadId,               // 1 spiffe_id
            0x12, 0x05, "a.b.c",                  // 2 wit_svid
            0x1a, 0x02, "{}",                     // 3 wit_svid_key
            0x22, 0x01, "h"));                    // 4 hint
    }

    [Test]
    public void WitBundlesResponse_OneBundle_EncodesStringMapEntryAsOne()
    {
        // Arrange
        var response = new WITBundlesResponse { Bundles = { [TrustDomainId] = "{}" } };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x11,                           // 1 bundles entry, 17 bytes
            0x0a, 0x0b, TrustDomainId,            //   1 key
            0x12, 0x02, "{}"));                   //   2 value (string)
    }

    [Test]
    public void MapValueTypes_WitBundlesVersusOtherBundles_WitIsStringOthersAreBytes()
    {
        // Arrange
        static FieldType ValueType(MessageDescriptor message, int mapField) =>
            message.FindFieldByNumber(mapField).MessageType.FindFieldByNumber(2).FieldType;

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ValueType(WITBundlesResponse.Descriptor, 1), Is.EqualTo(FieldType.String));
            Assert.That(ValueType(JWTBundlesResponse.Descriptor, 1), Is.EqualTo(FieldType.Bytes));
            Assert.That(ValueType(X509BundlesResponse.Descriptor, 2), Is.EqualTo(FieldType.Bytes));
            Assert.That(ValueType(X509SVIDResponse.Descriptor, 3), Is.EqualTo(FieldType.Bytes));
        }
    }

    [Test]
    public void EmptyRequests_Descriptors_HaveNoFields()
    {
        // Arrange
        MessageDescriptor[] empty =
        [
            X509SVIDRequest.Descriptor,
            X509BundlesRequest.Descriptor,
            JWTBundlesRequest.Descriptor,
            WITBundlesRequest.Descriptor,
        ];

        // Act + Assert
        Assert.That(empty.Select(d => d.Fields.InFieldNumberOrder().Count), Is.All.Zero);
    }
}
