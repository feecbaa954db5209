using Spiffe.Proto.Spire.Server.Entry.V1;
using SpireTypes = Spiffe.Proto.Spire.Types;

namespace Spiffe.Protos.Tests.Spire.Server;

/// <summary>Pins the messages of spire.api.server.entry.v1.</summary>
[TestFixture]
public sealed class EntryServiceMessagesTests
{
    [Test]
    public void SyncAuthorizedEntriesRequest_MaskAndIds_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var request = new SyncAuthorizedEntriesRequest
        {
            OutputMask = new SpireTypes.EntryMask { SpiffeId = true, RevisionNumber = true },
            Ids = { "a", "b" },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x04, 0x10, 0x01, 0x58, 0x01,               // 1 output_mask { 2, 11 }
            0x12, 0x01, "a",                                  // 2 ids[0]
            0x12, 0x01, "b"));                                // 2 ids[1]
    }

    [Test]
    public void SyncAuthorizedEntriesResponse_RevisionsEntriesMore_EncodesFieldsOneToThree()
    {
        // Arrange
        var response = new SyncAuthorizedEntriesResponse
        {
            EntryRevisions = { new EntryRevision { Id = "e1", RevisionNumber = 3, CreatedAt = 300 } },
            Entries = { new SpireTypes.Entry { Id = "e1" } },
            More = true,
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x09,                                       // 1 entry_revisions[0], 9 bytes
            0x0a, 0x02, "e1",                                 //   1 id
            0x10, 0x03,                                       //   2 revision_number
            0x18, 0xac, 0x02,                                 //   3 created_at = 300
            0x12, 0x04, 0x0a, 0x02, "e1",                     // 2 entries[0] { 1 id }
            0x18, 0x01));                                     // 3 more
    }

    [Test]
    public void EntryRevision_AllFieldsSet_EncodesStringThenTwoInt64()
    {
        // Arrange
        var revision = new EntryRevision { Id = "e", RevisionNumber = 1, CreatedAt = 2 };

        // Act + Assert
        WireAssert.Encodes(revision, WireBytes.Of(0x0a, 0x01, "e", 0x10, 0x01, 0x18, 0x02));
    }

    [Test]
    public void GetAuthorizedEntries_RequestAndResponse_EncodeFieldOne()
    {
        // Arrange
        var request = new GetAuthorizedEntriesRequest { OutputMask = new SpireTypes.EntryMask { Hint = true } };
        var response = new GetAuthorizedEntriesResponse { Entries = { new SpireTypes.Entry { Hint = "h" } } };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x02, 0x70, 0x01));
            WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x03, 0x72, 0x01, "h"));
        }
    }

    [Test]
    public void ListEntriesRequest_FullFilter_EncodesEveryFilterField()
    {
        // Arrange
        var request = new ListEntriesRequest
        {
            Filter = new ListEntriesRequest.Types.Filter
            {
                BySpiffeId = new SpireTypes.SPIFFEID { Path = "/w" },
                ByParentId = new SpireTypes.SPIFFEID { Path = "/a" },
                BySelectors = new SpireTypes.SelectorMatch { Selectors = { new SpireTypes.Selector { Type = "t", Value = "v" } } },
                ByFederatesWith = new SpireTypes.FederatesWithMatch { TrustDomains = { "td" } },
                ByHint = "h",
                ByDownstream = true,
            },
            OutputMask = new SpireTypes.EntryMask { Admin = true },
            PageSize = 1,
            PageToken = "p",
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x25,                                       // 1 filter, 37 bytes
            0x0a, 0x04, 0x12, 0x02, "/w",                     //   1 by_spiffe_id { 2 path }
            0x12, 0x04, 0x12, 0x02, "/a",                     //   2 by_parent_id
            0x1a, 0x08, 0x0a, 0x06,                           //   3 by_selectors { 1 selectors[0]
            0x0a, 0x01, "t", 0x12, 0x01, "v",                 //       { 1 type, 2 value } }
            0x22, 0x04, 0x0a, 0x02, "td",                     //   4 by_federates_with { 1 trust_domains[0] }
            0x2a, 0x03, 0x0a, 0x01, "h",                      //   5 by_hint = StringValue{"h"}
            0x32, 0x02, 0x08, 0x01,                           //   6 by_downstream = BoolValue{true}
            0x12, 0x02, 0x38, 0x01,                           // 2 output_mask { 7 admin }
            0x18, 0x01,                                       // 3 page_size
            0x22, 0x01, "p"));                                // 4 page_token
    }

    [Test]
    public void CountEntries_FilterByHintAndCount_EncodeFieldOne()
    {
        // Arrange
        var request = new CountEntriesRequest { Filter = new CountEntriesRequest.Types.Filter { ByHint = "h" } };
        var response = new CountEntriesResponse { Count = 2 };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x05, 0x2a, 0x03, 0x0a, 0x01, "h"));
            WireAssert.Encodes(response, WireBytes.Of(0x08, 0x02));
        }
    }

    [Test]
    public void GetEntryRequest_IdAndMask_EncodesStringIdThenMask()
    {
        // Arrange
        var request = new GetEntryRequest { Id = "e", OutputMask = new SpireTypes.EntryMask { CreatedAt = true } };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x01, "e", 0x12, 0x02, 0x78, 0x01));
    }

    [Test]
    public void BatchCreateEntryResponse_OneResult_EncodesStatusThenEntry()
    {
        // Arrange
        var response = new BatchCreateEntryResponse
        {
            Results =
            {
                new BatchCreateEntryResponse.Types.Result
                {
                    Status = new SpireTypes.Status { Code = 6, Message = "x" },
                    Entry = new SpireTypes.Entry { Id = "e" },
                },
            },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(
            0x0a, 0x0c,                                       // 1 results[0], 12 bytes
            0x0a, 0x05, 0x08, 0x06, 0x12, 0x01, "x",          //   1 status { 1 code, 2 message }
            0x12, 0x03, 0x0a, 0x01, "e"));                    //   2 entry { 1 id }
    }

    [Test]
    public void BatchCreateEntryRequest_EntryAndMask_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var request = new BatchCreateEntryRequest
        {
            Entries = { new SpireTypes.Entry { Id = "e" } },
            OutputMask = new SpireTypes.EntryMask { ParentId = true },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x03, 0x0a, 0x01, "e", 0x12, 0x02, 0x18, 0x01));
    }

    [Test]
    public void BatchUpdateEntryRequest_EntryAndMasks_EncodesInputMaskTwoOutputMaskThree()
    {
        // Arrange
        var request = new BatchUpdateEntryRequest
        {
            Entries = { new SpireTypes.Entry { Id = "e" } },
            InputMask = new SpireTypes.EntryMask { Hint = true },
            OutputMask = new SpireTypes.EntryMask { Admin = true },
        };

        // Act + Assert
        WireAssert.Encodes(request, WireBytes.Of(
            0x0a, 0x03, 0x0a, 0x01, "e",                      // 1 entries[0]
            0x12, 0x02, 0x70, 0x01,                           // 2 input_mask { 14 hint }
            0x1a, 0x02, 0x38, 0x01));                         // 3 output_mask { 7 admin }
    }

    [Test]
    public void BatchUpdateEntryResponse_OneResult_EncodesStatusThenEntry()
    {
        // Arrange
        var response = new BatchUpdateEntryResponse
        {
            Results =
            {
                new BatchUpdateEntryResponse.Types.Result
                {
                    Status = new SpireTypes.Status { Code = 5 },
                    Entry = new SpireTypes.Entry { Id = "e" },
                },
            },
        };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x09, 0x0a, 0x02, 0x08, 0x05, 0x12, 0x03, 0x0a, 0x01, "e"));
    }

    [Test]
    public void BatchDeleteEntry_RequestAndResponse_EncodeIdsAndResults()
    {
        // Arrange
        var request = new BatchDeleteEntryRequest { Ids = { "a" } };
        var response = new BatchDeleteEntryResponse
        {
            Results =
            {
                new BatchDeleteEntryResponse.Types.Result { Status = new SpireTypes.Status { Code = 5 }, Id = "a" },
            },
        };

        // Act + Assert
        using (Assert.EnterMultipleScope())
        {
            WireAssert.Encodes(request, WireBytes.Of(0x0a, 0x01, "a"));
            WireAssert.Encodes(response, WireBytes.Of(
                0x0a, 0x07,                                   // 1 results[0], 7 bytes
                0x0a, 0x02, 0x08, 0x05,                       //   1 status { 1 code }
                0x12, 0x01, "a"));                            //   2 id
        }
    }

    [Test]
    public void ListEntriesResponse_EntryAndToken_EncodesFieldsOneAndTwo()
    {
        // Arrange
        var response = new ListEntriesResponse { Entries = { new SpireTypes.Entry { Admin = true } }, NextPageToken = "n" };

        // Act + Assert
        WireAssert.Encodes(response, WireBytes.Of(0x0a, 0x02, 0x38, 0x01, 0x12, 0x01, "n"));
    }
}
