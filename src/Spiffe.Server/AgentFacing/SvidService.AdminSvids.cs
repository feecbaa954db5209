using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.Collections;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.Ca;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <content>
/// Records which admin entry each admin X509-SVID was signed for, so a caller presenting it over TLS can be tied to
/// that entry and its owning agent (task grants, <see cref="AdminApi.TaskGrantScope"/>).
/// </content>
internal sealed partial class SvidService
{
    private Task RecordAdminSvidsAsync(
        RepeatedField<NewX509SVIDParams> items,
        BatchNewX509SVIDResponse.Types.Result[] results,
        Dictionary<string, RegistrationEntry> authorized,
        CancellationToken cancellationToken)
    {
        var admin = new List<AdminSvidRecord>();
        for (var i = 0; i < results.Length; i++)
        {
            if (results[i].Svid is { } svid && authorized.TryGetValue(items[i].EntryId, out var entry) && entry.Admin)
            {
                using var leaf = X509CertificateLoader.LoadCertificate(svid.CertChain[0].Span);
                admin.Add(new AdminSvidRecord(SerialNumbers.ToDecimal(leaf), entry.Id, svid.ExpiresAt));
            }
        }

        return admin.Count == 0 ? Task.CompletedTask : _adminSvids.RecordAdminSvidsAsync(admin, cancellationToken);
    }
}
