using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Spiffe.Server.Tests.Infrastructure;
using Grpc.Net.Client;
using Spiffe.Core;
using Spiffe.Proto.Spire.Types;
using Spiffe.Testing;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;
using EntryApi = Spiffe.Proto.Spire.Server.Entry.V1;

namespace Spiffe.Server.Tests.AdminApi;

/// <summary>The Bundle admin RPCs (own bundle, federated bundles) over the real admin socket.</summary>
[TestFixture]
public sealed class BundleAdminServiceTests
{
    private TestServer server = null!;
    private GrpcChannel channel = null!;
    private BundleApi.Bundle.BundleClient client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        this.server = await TestServer.StartAsync();
        this.channel = this.server.CreateAdminChannel();
        this.client = new BundleApi.Bundle.BundleClient(this.channel);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        this.channel.Dispose();
        await this.server.DisposeAsync();
    }

    [Test]
    public async Task GetBundle_OwnTrustDomain_HasTheCaAndJwtKeys()
    {
        // Act
        var bundle = await this.client.GetBundleAsync(new BundleApi.GetBundleRequest()).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(bundle.TrustDomain, Is.EqualTo(EntryAdminServiceTests.TrustDomain));
        Assert.That(bundle.X509Authorities, Is.Not.Empty);
        Assert.That(bundle.JwtAuthorities, Is.Not.Empty);
        Assert.That(bundle.SequenceNumber, Is.GreaterThan(0));
    }

    [Test]
    public async Task GetBundle_OutputMask_ReturnsOnlyMaskedFields()
    {
        // Act
        var bundle = await this.client.GetBundleAsync(new BundleApi.GetBundleRequest { OutputMask = new BundleMask { JwtAuthorities = true } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(bundle.TrustDomain, Is.EqualTo(EntryAdminServiceTests.TrustDomain));
        Assert.That(bundle.X509Authorities, Is.Empty);
        Assert.That(bundle.JwtAuthorities, Is.Not.Empty);
        Assert.That(bundle.SequenceNumber, Is.Zero);
    }

    [Test]
    public async Task BatchSetFederatedBundle_ThenListGetCount_ShowIt()
    {
        // Arrange
        var bundle = FederatedBundle("set-list.org");
        var countBefore = (await this.client.CountBundlesAsync(new BundleApi.CountBundlesRequest()).ResponseAsync.DefaultTimeout()).Count;

        // Act
        var set = await this.client.BatchSetFederatedBundleAsync(new BundleApi.BatchSetFederatedBundleRequest { Bundle = { bundle } }).ResponseAsync.DefaultTimeout();
        var list = await this.client.ListFederatedBundlesAsync(new BundleApi.ListFederatedBundlesRequest()).ResponseAsync.DefaultTimeout();
        var got = await this.client.GetFederatedBundleAsync(new BundleApi.GetFederatedBundleRequest { TrustDomain = "set-list.org" }).ResponseAsync.DefaultTimeout();
        var countAfter = (await this.client.CountBundlesAsync(new BundleApi.CountBundlesRequest()).ResponseAsync.DefaultTimeout()).Count;

        // Assert
        Assert.That(set.Results.Single().Status.Code, Is.EqualTo((int)StatusCode.OK));
        Assert.That(list.Bundles.Select(b => b.TrustDomain), Does.Contain("set-list.org").And.Not.Contain(EntryAdminServiceTests.TrustDomain));
        Assert.That(got.X509Authorities.Single().Asn1, Is.EqualTo(bundle.X509Authorities[0].Asn1));
        Assert.That(countAfter, Is.EqualTo(countBefore + 1));
    }

    [Test]
    public async Task BatchCreateFederatedBundle_Existing_IsAlreadyExists()
    {
        // Arrange
        await this.client.BatchCreateFederatedBundleAsync(new BundleApi.BatchCreateFederatedBundleRequest { Bundle = { FederatedBundle("create-twice.org") } }).ResponseAsync.DefaultTimeout();

        // Act
        var second = await this.client.BatchCreateFederatedBundleAsync(new BundleApi.BatchCreateFederatedBundleRequest { Bundle = { FederatedBundle("create-twice.org") } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(second.Results.Single().Status.Code, Is.EqualTo((int)StatusCode.AlreadyExists));
        Assert.That(second.Results.Single().Status.Message, Is.EqualTo("bundle already exists"));
    }

    [Test]
    public async Task BatchCreateFederatedBundle_InvalidItems_FailWithoutStoringThem()
    {
        // Arrange
        var own = FederatedBundle(EntryAdminServiceTests.TrustDomain);
        var garbage = FederatedBundle("garbage.org");
        garbage.X509Authorities[0].Asn1 = ByteString.CopyFromUtf8("not a certificate");
        var badName = FederatedBundle("bad name");

        // Act
        var results = (await this.client.BatchCreateFederatedBundleAsync(new BundleApi.BatchCreateFederatedBundleRequest { Bundle = { own, garbage, badName } }).ResponseAsync.DefaultTimeout()).Results;

        // Assert
        Assert.That(results.Select(r => (StatusCode)r.Status.Code), Is.All.EqualTo(StatusCode.InvalidArgument));
        Assert.That(results[0].Status.Message, Is.EqualTo("creating a federated bundle for the server's own trust domain is not allowed"));
        Assert.That(results[1].Status.Message, Does.StartWith("failed to convert bundle: x509_authorities[0]: not a DER certificate"));
        Assert.That(results[2].Status.Message, Does.StartWith("failed to convert bundle: trust domain argument is not valid"));
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.GetFederatedBundleAsync(new BundleApi.GetFederatedBundleRequest { TrustDomain = "garbage.org" }).ResponseAsync.DefaultTimeout());
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task BatchUpdateFederatedBundle_InputMask_ReplacesOnlyMaskedFields()
    {
        // Arrange
        var original = FederatedBundle("update.org");
        original.RefreshHint = 300;
        await this.client.BatchSetFederatedBundleAsync(new BundleApi.BatchSetFederatedBundleRequest { Bundle = { original } }).ResponseAsync.DefaultTimeout();
        var change = FederatedBundle("update.org");
        change.RefreshHint = 60;

        // Act
        var result = (await this.client.BatchUpdateFederatedBundleAsync(new BundleApi.BatchUpdateFederatedBundleRequest
        {
            Bundle = { change },
            InputMask = new BundleMask { RefreshHint = true },
        }).ResponseAsync.DefaultTimeout()).Results.Single();

        // Assert
        Assert.That(result.Status.Code, Is.EqualTo((int)StatusCode.OK));
        Assert.That(result.Bundle.RefreshHint, Is.EqualTo(60));
        Assert.That(result.Bundle.X509Authorities.Single().Asn1, Is.EqualTo(original.X509Authorities[0].Asn1));
    }

    [Test]
    public async Task BatchDeleteFederatedBundle_Modes_HandleFederatingEntries()
    {
        // Arrange
        var entries = new EntryApi.Entry.EntryClient(this.channel);
        await this.client.BatchSetFederatedBundleAsync(new BundleApi.BatchSetFederatedBundleRequest { Bundle = { FederatedBundle("delete.org") } }).ResponseAsync.DefaultTimeout();
        var entry = EntryAdminServiceTests.NewEntry("/federating", "/agent/a", "unix:uid:1");
        entry.FederatesWith.Add("delete.org");
        var created = (await entries.BatchCreateEntryAsync(new EntryApi.BatchCreateEntryRequest { Entries = { entry } }).ResponseAsync.DefaultTimeout()).Results[0].Entry;

        // Act
        var restrict = await this.client.BatchDeleteFederatedBundleAsync(new BundleApi.BatchDeleteFederatedBundleRequest { TrustDomains = { "delete.org" } }).ResponseAsync.DefaultTimeout();
        var dissociate = await this.client.BatchDeleteFederatedBundleAsync(new BundleApi.BatchDeleteFederatedBundleRequest
        {
            TrustDomains = { "delete.org", "never-there.org", EntryAdminServiceTests.TrustDomain },
            Mode = BundleApi.BatchDeleteFederatedBundleRequest.Types.Mode.Dissociate,
        }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(restrict.Results.Single().Status.Code, Is.EqualTo((int)StatusCode.FailedPrecondition));
        Assert.That(dissociate.Results.Select(r => (StatusCode)r.Status.Code), Is.EqualTo(new[] { StatusCode.OK, StatusCode.NotFound, StatusCode.InvalidArgument }));
        Assert.That(dissociate.Results[2].Status.Message, Is.EqualTo("removing the bundle for the server trust domain is not allowed"));
        var after = await entries.GetEntryAsync(new EntryApi.GetEntryRequest { Id = created.Id }).ResponseAsync.DefaultTimeout();
        Assert.That(after.FederatesWith, Is.Empty);
    }

    [Test]
    public void GetFederatedBundle_OwnTrustDomain_IsInvalidArgument()
    {
        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.GetFederatedBundleAsync(new BundleApi.GetFederatedBundleRequest { TrustDomain = EntryAdminServiceTests.TrustDomain }).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task AppendBundle_JwtKey_AddsItToTheOwnBundle()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwtKey = new JWTKey { KeyId = "appended-key", PublicKey = ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()) };

        // Act
        var bundle = await this.client.AppendBundleAsync(new BundleApi.AppendBundleRequest { JwtAuthorities = { jwtKey } }).ResponseAsync.DefaultTimeout();

        // Assert
        Assert.That(bundle.JwtAuthorities.Select(k => k.KeyId), Does.Contain("appended-key"));
        var stored = await this.client.GetBundleAsync(new BundleApi.GetBundleRequest()).ResponseAsync.DefaultTimeout();
        Assert.That(stored.JwtAuthorities.Select(k => k.KeyId), Does.Contain("appended-key"));
    }

    [Test]
    public void AppendBundle_KeyWithoutId_IsInvalidArgument()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new BundleApi.AppendBundleRequest { JwtAuthorities = { new JWTKey { PublicKey = ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()) } } };

        // Act
        var ex = Assert.ThrowsAsync<RpcException>(async () => await this.client.AppendBundleAsync(request).ResponseAsync.DefaultTimeout());

        // Assert
        Assert.That(ex!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(ex.Status.Detail, Is.EqualTo("failed to convert authorities: jwt_authorities[0]: missing key ID"));
    }

    internal static Bundle FederatedBundle(string trustDomain)
    {
        var ca = TestCa.CreateRoot(TrustDomain.Parse(TrustDomain.TryParse(trustDomain, out _) ? trustDomain : "placeholder.org"), TimeProvider.System.GetUtcNow());
        return new Bundle
        {
            TrustDomain = trustDomain,
            X509Authorities = { new X509Certificate { Asn1 = ByteString.CopyFrom(ca.Certificate.RawData) } },
        };
    }
}
