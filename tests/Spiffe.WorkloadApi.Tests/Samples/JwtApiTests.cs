using System.Net;
using JwtApi.Caller;
using JwtApi.Server;
using Microsoft.AspNetCore.Builder;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>
/// samples/JwtApi: the API and the caller built by the samples' own setup methods against a <see cref="FakeWorkloadApi"/>
/// that serves the JWT bundle and signs a JWT-SVID for whatever audience the caller asks for.
/// </summary>
[TestFixture]
public sealed class JwtApiTests
{
    private static readonly SpiffeId CallerId = SpiffeId.Parse("spiffe://example.org/caller");

    private FakeWorkloadApi fake = null!;
    private JwtSource source = null!;
    private WebApplication api = null!;
    private Uri whoami = null!;
    private WorkloadApiClient workloadApi = null!;
    private HttpClient http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        this.fake.JwtSvidHandler = request => Messages.JwtSvids((CallerId, Token(CallerId, [.. request.Audience]), string.Empty));
        this.source = await JwtApiServer.ConnectAsync(this.fake.Address).DefaultTimeout();
        this.api = JwtApiServer.Build(this.source, JwtApiServer.Audience, "http://127.0.0.1:0");
        await this.api.StartAsync().DefaultTimeout();
        var address = this.api.Urls.Single();
        this.whoami = new Uri(new Uri(address), "/whoami");
        this.workloadApi = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address });
        this.http = new HttpClient();
    }

    [TearDown]
    public async Task StopAsync()
    {
        this.http.Dispose();
        await this.workloadApi.DisposeAsync();
        await this.api.StopAsync();
        await this.api.DisposeAsync();
        await this.source.DisposeAsync();
        await this.fake.DisposeAsync();
    }

    [Test]
    public async Task CallAsync_JwtSvidForTheApisAudience_ApiAnswersWithTheCallersSpiffeId()
    {
        // Act
        using var response = await JwtApiCaller.CallAsync(this.workloadApi, this.http, this.whoami, JwtApiServer.Audience).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo($"Hello, {CallerId}!"));
    }

    [Test]
    public async Task CallAsync_JwtSvidForAnotherAudience_ApiRefusesWith401()
    {
        // Act
        using var response = await JwtApiCaller.CallAsync(this.workloadApi, this.http, this.whoami, "spiffe://example.org/other-api").DefaultTimeout();

        // Assert: the caller did get a valid token, only for the wrong audience.
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(this.fake.UnaryRequests.OfType<JWTSVIDRequest>().Single().Audience, Is.EqualTo(new[] { "spiffe://example.org/other-api" }));
    }
}
