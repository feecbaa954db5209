using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.AspNetCore;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.AspNetCore;

/// <summary>The JWT-SVID authentication handler in a real Kestrel app on a temporary Unix socket.</summary>
[TestFixture]
public sealed class SpiffeJwtBearerTests
{
    private const string Audience = "spiffe://example.org/api";

    private string directory = null!;
    private CapturingLoggerProvider logs = null!;
    private WebApplication app = null!;
    private HttpClient http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.directory = Directory.CreateTempSubdirectory("spiffe-jwt-").FullName;
        this.logs = new CapturingLoggerProvider();
        (this.app, this.http) = await StartAppAsync(this.directory, this.logs, Signer.CreateJwtBundle());
    }

    [TearDown]
    public async Task StopAsync()
    {
        this.http.Dispose();
        await this.app.StopAsync();
        await this.app.DisposeAsync();
        Directory.Delete(this.directory, recursive: true);
        this.logs.Dispose();
    }

    [Test]
    public async Task Request_ValidJwtSvid_AuthenticatedAsSpiffeId()
    {
        // Arrange
        using var request = Request(Token(Web, Audience));

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadAsStringAsync();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Is.EqualTo($"{Web}|{Web}|{Web}"));
    }

    [Test]
    public async Task Request_NoAuthorizationHeader_Returns401WithBearerChallenge()
    {
        // Act
        using var response = await this.http.GetAsync(new Uri("http://localhost/whoami")).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.Select(h => h.Scheme), Is.EqualTo(new[] { "Bearer" }));
        Assert.That(this.logs.MessagesFor("JwtSvidRejected"), Is.Empty);
    }

    [Test]
    public async Task Request_WrongAudience_Returns401AndLogsReasonWithoutToken()
    {
        // Arrange
        var token = Token(Web, "spiffe://example.org/other");
        using var request = Request(token);

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var rejected = this.logs.MessagesFor("JwtSvidRejected");
        Assert.That(rejected, Has.Count.EqualTo(1));
        Assert.That(rejected[0], Does.Contain($"expected audience \"{Audience}\""));
        Assert.That(this.logs.Entries.Select(e => e.Message + e.Exception), Has.None.Contains(token.Split('.')[2]));
    }

    [Test]
    public async Task Request_ExpiredToken_Returns401()
    {
        // Arrange
        var now = TimeProvider.System.GetUtcNow();
        using var request = Request(Signer.CreateToken(Web, [Audience], now.AddMinutes(-10), now.AddMinutes(-20)));

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(this.logs.MessagesFor("JwtSvidRejected").Single(), Does.Contain("expired"));
    }

    [Test]
    public async Task Request_TokenSignedByUnknownKey_Returns401()
    {
        // Arrange
        var stranger = new TestJwtSigner(Domain, "key-9");
        var now = TimeProvider.System.GetUtcNow();
        using var request = Request(stranger.CreateToken(Web, [Audience], now.AddMinutes(5), now));

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(this.logs.MessagesFor("JwtSvidRejected").Single(), Does.Contain("key ID \"key-9\""));
    }

    [Test]
    public async Task Request_NotAJwt_Returns401()
    {
        // Arrange
        using var request = Request("not-a-token");

        // Act
        using var response = await this.http.SendAsync(request).DefaultTimeout();

        // Assert
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(this.logs.MessagesFor("JwtSvidRejected").Single(), Does.Contain("3 dot-separated segments"));
    }

    [Test]
    public async Task Request_BundlesFromJwtSource_Authenticated()
    {
        // Arrange
        await using var fake = await FakeWorkloadApi.StartAsync();
        fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        await using var jwtSource = await JwtSource.CreateAsync(new WorkloadApiSourceOptions { ClientOptions = new WorkloadApiClientOptions { Address = fake.Address } }).DefaultTimeout();
        var otherDirectory = Directory.CreateTempSubdirectory("spiffe-jwt-").FullName;
        var (otherApp, otherHttp) = await StartAppAsync(otherDirectory, new CapturingLoggerProvider(), jwtSource);
        try
        {
            using var request = Request(Token(Db, Audience));

            // Act
            using var response = await otherHttp.SendAsync(request).DefaultTimeout();

            // Assert
            Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith(Db.ToString()));
        }
        finally
        {
            otherHttp.Dispose();
            await otherApp.DisposeAsync();
            Directory.Delete(otherDirectory, recursive: true);
        }
    }

    [Test]
    public void Validate_MissingAudienceOrBundleSource_Throws()
    {
        // Arrange
        var noAudience = new SpiffeJwtBearerOptions { BundleSource = Signer.CreateJwtBundle() };
        var noBundles = new SpiffeJwtBearerOptions { Audience = Audience };

        // Act & Assert
        Assert.That(() => noAudience.Validate(), Throws.InvalidOperationException.With.Message.Contains("Audience"));
        Assert.That(() => noBundles.Validate(), Throws.InvalidOperationException.With.Message.Contains("BundleSource"));
    }

    private static HttpRequestMessage Request(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri("http://localhost/whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static async Task<(WebApplication App, HttpClient Http)> StartAppAsync(string directory, CapturingLoggerProvider logs, IJwtBundleSource bundles)
    {
        var socket = Path.Combine(directory, "app.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socket));
        builder.Services.AddAuthentication(SpiffeJwtBearerDefaults.AuthenticationScheme).AddSpiffeJwtBearer(options =>
        {
            options.Audience = Audience;
            options.BundleSource = bundles;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (ClaimsPrincipal user) =>
            $"{user.Identity!.Name}|{user.FindFirstValue(ClaimTypes.NameIdentifier)}|{user.FindFirstValue(SpiffeJwtBearerDefaults.SpiffeIdClaimType)}")
            .RequireAuthorization();
        await app.StartAsync();
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return new NetworkStream(client, ownsSocket: true);
            },
        };
        return (app, new HttpClient(handler));
    }
}
