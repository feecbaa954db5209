using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Bundle.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.Hosting;
using Spiffe.Server.Tests.Infrastructure;
using BundleClient = Spiffe.Proto.Spire.Server.Bundle.V1.Bundle.BundleClient;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Tests.AgentFacing;

[TestFixture]
public sealed class ServerRotationTests
{
    [Test]
    public async Task Maintenance_CaRotation_PublishesNextCaFirstThenSwitchesSvidsAndTlsWhileOldAgentSvidStillWorks()
    {
        // Arrange
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var server = await TestServer.StartAsync(c => c with { CaTtl = TimeSpan.FromHours(1), DefaultX509SvidTtl = TimeSpan.FromMinutes(5), AgentTtl = TimeSpan.FromHours(2) }, clock);
        var maintenance = server.Host.Services.GetRequiredService<MaintenanceService>();
        var initialAnchors = await server.GetTrustAnchorsAsync();
        var agent = new TestAgent(server, initialAnchors);
        await agent.AttestJoinTokenAsync(await server.CreateJoinTokenAsync());
        var entry = await server.CreateEntryAsync(SpiffeId.Parse("spiffe://example.org/web"), agent.Id, "unix:uid:1000");
        var firstCa = server.Ca.ActiveX509CA.Certificate;

        // Act: half-life → next CA prepared and published, not yet signing.
        clock.Advance(TimeSpan.FromMinutes(31));
        await maintenance.RunOnceAsync(CancellationToken.None).DefaultTimeout();
        var nextCa = server.Ca.NextX509CA!.Certificate;
        using (var channel = agent.CreateChannel())
        {
            var bundle = await new BundleClient(channel).GetBundleAsync(new GetBundleRequest()).ResponseAsync.DefaultTimeout();
            var beforeActivation = await SignAsync(channel, entry.Id);
            Assert.That(bundle.X509Authorities.Select(a => a.Asn1.ToByteArray()), Is.EqualTo(new[] { firstCa.RawData, nextCa.RawData }));
            Assert.That(beforeActivation.IssuerName.RawData, Is.EqualTo(firstCa.SubjectName.RawData));
            agent.UpdateTrustAnchors([.. bundle.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Asn1.ToByteArray()))]);
        }

        // Act: activation threshold → the published CA signs; the old agent SVID still authenticates.
        clock.Advance(TimeSpan.FromMinutes(20));
        await maintenance.RunOnceAsync(CancellationToken.None).DefaultTimeout();
        var anchors = await server.GetTrustAnchorsAsync();
        using var rotated = agent.CreateChannel();
        var afterActivation = await SignAsync(rotated, entry.Id);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(agent.Svid!.IssuerName.RawData, Is.EqualTo(firstCa.SubjectName.RawData));
            Assert.That(afterActivation.IssuerName.RawData, Is.EqualTo(nextCa.SubjectName.RawData));
            Assert.That(server.Host.Services.GetRequiredService<ServerTlsCredentials>().Certificate.IssuerName.RawData, Is.EqualTo(nextCa.SubjectName.RawData));
            Assert.That(anchors.Select(a => a.Thumbprint), Does.Contain(firstCa.Thumbprint).And.Contain(nextCa.Thumbprint));
        });
    }

    private static async Task<X509Certificate2> SignAsync(Grpc.Net.Client.GrpcChannel channel, string entryId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await new SvidClient(channel).BatchNewX509SVIDAsync(new BatchNewX509SVIDRequest
        {
            Params = { new NewX509SVIDParams { EntryId = entryId, Csr = ByteString.CopyFrom(TestAgent.CreateCsr(key)) } },
        }).ResponseAsync.DefaultTimeout();
        return X509CertificateLoader.LoadCertificate(response.Results.Single().Svid.CertChain[0].ToByteArray());
    }
}
