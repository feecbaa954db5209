using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Spiffe.Core;
using Spiffe.Sidecar;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Sidecar;

[TestFixture]
[Platform(Include = "Linux")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SidecarRunnerTests
{
    private const UnixFileMode Mode0644 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private FakeWorkloadApi fake = null!;
    private string directory = null!;
    private CapturingLoggerProvider logs = null!;
    private CancellationTokenSource stop = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.directory = Directory.CreateTempSubdirectory("spiffe-sidecar-").FullName;
        this.logs = new CapturingLoggerProvider();
        this.stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await this.stop.CancelAsync();
        this.stop.Dispose();
        this.logs.Dispose();
        await this.fake.DisposeAsync();
        Directory.Delete(this.directory, recursive: true);
    }

    [Test]
    public async Task RunAsync_OneShot_WritesEveryFileWithItsModeAndReturnsZero()
    {
        // Arrange
        var svid = Ca.IssueX509Svid(Web);
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, svid, Ca)));
        this.fake.JwtBundles.Set(Messages.JwtBundles(Signer.CreateJwtBundle()));
        var token = Token(Web, "api", "audit");
        this.fake.JwtSvidHandler = _ => Messages.JwtSvids((Web, token, string.Empty));
        var options = this.Options() with
        {
            DaemonMode = false,
            JwtBundleFileName = "jwt_bundle.json",
            JwtSvids = [new JwtSvidFileOptions("api", ["audit"], "api.token")],
        };

        // Act
        var exitCode = await this.Runner(options).RunAsync(this.stop.Token).DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Success));
        var written = X509Svid.Parse(this.Read("svid.pem"), this.Read("svid_key.pem"));
        Assert.That(written.Id, Is.EqualTo(Web));
        Assert.That(written.Certificates[0].RawData, Is.EqualTo(svid.Leaf.RawData));
        Assert.That(X509Bundle.Parse(Domain, this.Read("bundle.pem")).X509Authorities[0].RawData, Is.EqualTo(Ca.RootCertificate.RawData));
        var jwtBundles = JsonSerializer.Deserialize<Dictionary<string, string>>(this.Read("jwt_bundle.json"))!;
        Assert.That(JwtBundle.Parse(Domain, Convert.FromBase64String(jwtBundles["example.org"])).JwtAuthorities.Keys, Is.EqualTo(new[] { "key-1" }));
        Assert.That(this.Read("api.token"), Is.EqualTo(token));
        Assert.That(this.Mode("svid.pem"), Is.EqualTo(Mode0644));
        Assert.That(this.Mode("bundle.pem"), Is.EqualTo(Mode0644));
        Assert.That(this.Mode("svid_key.pem"), Is.EqualTo(Mode0600));
        Assert.That(this.Mode("jwt_bundle.json"), Is.EqualTo(Mode0600));
        Assert.That(this.Mode("api.token"), Is.EqualTo(Mode0600));
        Assert.That(Directory.GetFiles(this.directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "svid.pem", "svid_key.pem", "bundle.pem", "jwt_bundle.json", "api.token" }));
    }

    [Test]
    public async Task RunAsync_IntermediatesToBundleAndFederatedDomains_SplitsCertificatesAsConfigured()
    {
        // Arrange
        var intermediate = Ca.CreateIntermediate();
        var response = Messages.X509SvidResponse(Messages.X509Svid(Web, intermediate.IssueX509Svid(Web), Ca));
        response.FederatedBundles.Add(FederatedDomain.IdString, Google.Protobuf.ByteString.CopyFrom(FederatedCa.RootCertificate.RawData));
        this.fake.X509Svids.Set(response);
        var options = this.Options() with { DaemonMode = false, AddIntermediatesToBundle = true, IncludeFederatedDomains = true, CertFileMode = (UnixFileMode)0b110_100_000 };

        // Act
        var exitCode = await this.Runner(options).RunAsync(this.stop.Token).DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Success));
        Assert.That(X509Bundle.Parse(Domain, this.Read("svid.pem")).X509Authorities, Has.Count.EqualTo(1));
        var bundle = X509Bundle.Parse(Domain, this.Read("bundle.pem")).X509Authorities.Select(c => c.RawData);
        Assert.That(bundle, Is.EqualTo(new[] { Ca.RootCertificate.RawData, intermediate.Certificate.RawData, FederatedCa.RootCertificate.RawData }));
        Assert.That(this.Mode("svid.pem"), Is.EqualTo((UnixFileMode)0b110_100_000));
    }

    [Test]
    public async Task RunAsync_DaemonRotation_RewritesFilesAtomicallyAndKeepsModes()
    {
        // Arrange
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        var run = this.Runner(this.Options()).RunAsync(this.stop.Token);
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("FilesWritten").Count == 1);
        var (firstCertificate, firstKey) = (this.Read("svid.pem"), this.Read("svid_key.pem"));
        var rotated = Ca.IssueX509Svid(Web);

        // Act
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, rotated, Ca)));
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("FilesWritten").Count == 2);
        await this.stop.CancelAsync();
        var exitCode = await run.DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Success));
        Assert.That(this.Read("svid.pem"), Is.Not.EqualTo(firstCertificate));
        Assert.That(this.Read("svid_key.pem"), Is.Not.EqualTo(firstKey));
        Assert.That(X509Svid.Parse(this.Read("svid.pem"), this.Read("svid_key.pem")).Certificates[0].RawData, Is.EqualTo(rotated.Leaf.RawData));
        Assert.That(this.Mode("svid_key.pem"), Is.EqualTo(Mode0600));
        Assert.That(this.Mode("svid.pem"), Is.EqualTo(Mode0644));
        Assert.That(Directory.GetFiles(this.directory).Select(Path.GetFileName), Is.EquivalentTo(new[] { "svid.pem", "svid_key.pem", "bundle.pem" }));
    }

    [Test]
    public async Task RunAsync_CommandWithRenewSignal_StartsChildAfterFilesAndSignalsItOnRotation()
    {
        // Arrange
        var marks = Path.Combine(this.directory, "marks");
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        var script = $"trap 'echo HUP >> {marks}' HUP; test -s {this.directory}/svid.pem && echo started >> {marks}; while true; do sleep 0.05; done";
        var options = this.Options() with { Command = "/bin/sh", CommandArguments = ["-c", script], RenewSignal = SidecarSignal.Hangup };
        var run = this.Runner(options).RunAsync(this.stop.Token);
        await FakeWorkloadApi.WaitUntilAsync(() => ReadLines(marks).Contains("started"));

        // Act
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        await FakeWorkloadApi.WaitUntilAsync(() => ReadLines(marks).Contains("HUP"));
        await this.stop.CancelAsync();
        var exitCode = await run.DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Success));
        Assert.That(ReadLines(marks), Is.EqualTo(new[] { "started", "HUP" }));
        var pid = int.Parse(this.logs.MessagesFor("ChildStarted").Single().Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        await FakeWorkloadApi.WaitUntilAsync(() => !IsRunning(pid));
    }

    [Test]
    public async Task RunAsync_PidFile_SignalsThatProcess()
    {
        // Arrange
        var marks = Path.Combine(this.directory, "marks");
        using var target = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"trap 'echo HUP >> {marks}' HUP; echo ready >> {marks}; while true; do sleep 0.05; done" } })!;
        try
        {
            await FakeWorkloadApi.WaitUntilAsync(() => ReadLines(marks).Contains("ready"));
            var pidFile = Path.Combine(this.directory, "target.pid");
            await File.WriteAllTextAsync(pidFile, target.Id + "\n");
            this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
            var options = this.Options() with { DaemonMode = false, PidFileName = pidFile, RenewSignal = SidecarSignal.Hangup };

            // Act
            var exitCode = await this.Runner(options).RunAsync(this.stop.Token).DefaultTimeout();
            await FakeWorkloadApi.WaitUntilAsync(() => ReadLines(marks).Contains("HUP"));

            // Assert
            Assert.That(exitCode, Is.EqualTo(SidecarRunner.Success));
            Assert.That(this.logs.MessagesFor("ProcessSignalled"), Is.EqualTo(new[] { $"Sent Hangup to process {target.Id}" }));
        }
        finally
        {
            target.Kill();
        }
    }

    [Test]
    public async Task RunAsync_CommandWithoutSignal_RunsItAfterEachWrite()
    {
        // Arrange
        var runs = Path.Combine(this.directory, "runs");
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        var options = this.Options() with { Command = "/bin/sh", CommandArguments = ["-c", $"cat {this.directory}/svid.pem | head -c 27 >> {runs}; echo >> {runs}"] };
        var run = this.Runner(options).RunAsync(this.stop.Token);
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("CommandExited").Count == 1);

        // Act
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("CommandExited").Count == 2);
        await this.stop.CancelAsync();
        await run.DefaultTimeout();

        // Assert
        Assert.That(ReadLines(runs), Is.All.EqualTo("-----BEGIN CERTIFICATE-----"));
        Assert.That(this.logs.MessagesFor("CommandExited"), Has.Count.EqualTo(2).And.All.EndsWith("exited with code 0"));
    }

    [Test]
    public async Task RunAsync_JwtSvid_RefreshedAtHalfLife()
    {
        // Arrange
        var time = new RecordingTimeProvider(TimeProvider.System.GetUtcNow());
        var first = Token(Web, "api");
        var tokens = new Queue<(SpiffeId Id, string Token)>([(Web, first), (Db, Token(Db, "api"))]);
        this.fake.JwtSvidHandler = _ =>
        {
            var (id, token) = tokens.Dequeue();
            return Messages.JwtSvids((id, token, string.Empty));
        };
        var options = new SidecarOptions
        {
            AgentAddress = this.fake.Address,
            CertDirectory = this.directory,
            JwtSvids = [new JwtSvidFileOptions("api", [], "api.token")],
        };
        var run = new SidecarRunner(options, this.logs, time).RunAsync(this.stop.Token);

        // Act
        TimeSpan delay;
        do
        {
            delay = await time.NextDelayAsync();
        }
        while (delay < TimeSpan.FromMinutes(1));

        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("FilesWritten").Count == 1);
        var firstContent = this.Read("api.token");
        time.Advance(delay);
        await FakeWorkloadApi.WaitUntilAsync(() => this.logs.MessagesFor("FilesWritten").Count == 2);
        await this.stop.CancelAsync();
        await run.DefaultTimeout();

        // Assert
        Assert.That(delay, Is.EqualTo(TimeSpan.FromMinutes(2.5)).Within(TimeSpan.FromSeconds(5)));
        Assert.That(firstContent, Is.EqualTo(first));
        Assert.That(this.Read("api.token"), Is.Not.EqualTo(first));
    }

    [Test]
    public async Task RunAsync_SocketMissing_ReturnsOneWithClearMessage()
    {
        // Arrange
        var options = this.Options() with { AgentAddress = "unix://" + Path.Combine(this.directory, "absent.sock") };

        // Act
        var exitCode = await this.Runner(options).RunAsync(this.stop.Token).DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Failure));
        Assert.That(this.logs.MessagesFor("SidecarFailed").Single(), Does.Contain("absent.sock does not exist"));
    }

    [Test]
    public async Task RunAsync_FirstFetchKeepsFailing_ReturnsOneAfterTimeoutWithLastError()
    {
        // Arrange
        var time = new RecordingTimeProvider(TimeProvider.System.GetUtcNow());
        this.fake.X509Svids.Fail(StatusCode.Unavailable, "agent is starting");
        var options = this.Options() with { Timeout = TimeSpan.FromSeconds(10) };
        var run = new SidecarRunner(options, this.logs, time).RunAsync(this.stop.Token);
        var delays = new HashSet<TimeSpan>();
        while (!delays.Contains(TimeSpan.FromSeconds(1)) || !delays.Contains(options.Timeout))
        {
            delays.Add(await time.NextDelayAsync());
        }

        // Act
        time.Advance(TimeSpan.FromSeconds(10));
        var exitCode = await run.DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Failure));
        var message = this.logs.MessagesFor("SidecarFailed").Single();
        Assert.That(message, Does.Contain("not all written within 00:00:10"));
        Assert.That(message, Does.Contain("agent is starting"));
        Assert.That(Directory.GetFiles(this.directory), Is.Empty);
    }

    [Test]
    public async Task RunAsync_EndpointRejectsSidecar_ReturnsOne()
    {
        // Arrange
        this.fake.X509Svids.Fail(StatusCode.InvalidArgument, "security header missing from request");

        // Act
        var exitCode = await this.Runner(this.Options()).RunAsync(this.stop.Token).DefaultTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(SidecarRunner.Failure));
        Assert.That(this.logs.MessagesFor("SidecarFailed").Single(), Does.Contain("refused the sidecar").And.Contain("security header missing"));
    }

    private static string[] ReadLines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private SidecarOptions Options() => new()
    {
        AgentAddress = this.fake.Address,
        CertDirectory = this.directory,
        SvidFileName = "svid.pem",
        SvidKeyFileName = "svid_key.pem",
        SvidBundleFileName = "bundle.pem",
    };

    private SidecarRunner Runner(SidecarOptions options) => new(options, this.logs);

    private string Read(string name) => File.ReadAllText(Path.Combine(this.directory, name));

    private UnixFileMode Mode(string name) => File.GetUnixFileMode(Path.Combine(this.directory, name));
}
