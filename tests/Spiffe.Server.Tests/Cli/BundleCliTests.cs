using System.Diagnostics;
using System.Text;
using Spiffe.Core;
using Spiffe.Server.Tests.Infrastructure;
using Spiffe.Testing;

namespace Spiffe.Server.Tests.Cli;

/// <summary><c>bundle show|list|set|delete|count</c> against a running server.</summary>
[TestFixture]
public sealed class BundleCliTests
{
    private TestServer server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => this.server = await TestServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await this.server.DisposeAsync();

    [Test]
    public async Task Show_Pem_IsParsedByOpenssl()
    {
        // Act
        var result = await this.RunAsync("bundle", "show");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("-----BEGIN CERTIFICATE-----\n").And.EndWith("-----END CERTIFICATE-----\n"));
        var path = Path.Combine(this.server.Directory, "bundle.pem");
        await File.WriteAllTextAsync(path, result.Stdout);
        var (exitCode, output) = await RunOpensslAsync("x509", "-in", path, "-noout", "-ext", "subjectAltName");
        Assert.That(exitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("URI:spiffe://example.org"));
        Assert.That(X509Bundle.Parse(TrustDomain.Parse("example.org"), result.Stdout).X509Authorities, Is.Not.Empty);
    }

    [Test]
    public async Task Show_Spiffe_IsAValidSpiffeBundle()
    {
        // Act
        var result = await this.RunAsync("bundle", "show", "-format", "spiffe");

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        Assert.That(result.Stdout, Does.StartWith("{\n    \""));
        var bundle = SpiffeBundle.Parse(TrustDomain.Parse("example.org"), Encoding.UTF8.GetBytes(result.Stdout));
        Assert.That(bundle.X509Authorities, Is.Not.Empty);
        Assert.That(bundle.JwtAuthorities, Is.Not.Empty);
        Assert.That(bundle.SequenceNumber, Is.GreaterThan(0UL));
    }

    [Test]
    public async Task SetListDelete_PemFederatedBundle_RoundTrips()
    {
        // Arrange
        var ca = TestCa.CreateRoot(TrustDomain.Parse("fed-pem.org"), TimeProvider.System.GetUtcNow());
        var pem = ca.CreateX509Bundle().MarshalPem();
        var path = Path.Combine(this.server.Directory, "fed.pem");
        await File.WriteAllTextAsync(path, pem);

        var countBefore = await this.CountAsync();

        // Act
        var set = await this.RunAsync("bundle", "set", "-id", "spiffe://fed-pem.org", "-path", path);
        var list = await this.RunAsync("bundle", "list");
        var one = await this.RunAsync("bundle", "list", "-id", "fed-pem.org");
        var countAfter = await this.CountAsync();
        var delete = await this.RunAsync("bundle", "delete", "-id", "spiffe://fed-pem.org");
        var after = await this.RunAsync("bundle", "list", "-id", "fed-pem.org");

        // Assert
        Assert.That(set.Stdout, Is.EqualTo("bundle set.\n"), set.Stderr);
        Assert.That(list.Stdout, Does.Contain("****************************************\n* fed-pem.org\n****************************************\n" + pem));
        Assert.That(one.Stdout, Is.EqualTo(pem));
        Assert.That(countAfter, Is.EqualTo(countBefore + 1));
        Assert.That(delete.Stdout, Is.EqualTo("bundle deleted.\n"), delete.Stderr);
        Assert.That(after.ExitCode, Is.EqualTo(1));
        Assert.That(after.Stderr, Is.EqualTo("Error: rpc error: code = NotFound desc = bundle not found\n"));
    }

    [Test]
    public async Task Set_SpiffeFormatFromStdin_StoresJwtAuthorities()
    {
        // Arrange
        var own = await this.RunAsync("bundle", "show", "-format", "spiffe");
        var foreign = own.Stdout.Replace("example.org", "fed-spiffe.org", StringComparison.Ordinal);

        // Act
        var set = await CliRunner.RunWithInputAsync(foreign, "bundle", "set", "-id", "fed-spiffe.org", "-format", "spiffe", "-socketPath", this.server.SocketPath);
        var shown = await this.RunAsync("bundle", "list", "-id", "fed-spiffe.org", "-format", "spiffe");

        // Assert
        Assert.That(set.ExitCode, Is.Zero, set.Stderr);
        var bundle = SpiffeBundle.Parse(TrustDomain.Parse("fed-spiffe.org"), Encoding.UTF8.GetBytes(shown.Stdout));
        Assert.That(bundle.JwtAuthorities, Is.Not.Empty);
        Assert.That(bundle.X509Authorities, Is.Not.Empty);
    }

    [Test]
    public async Task Set_GarbageData_FailsAndStoresNothing()
    {
        // Act
        var result = await CliRunner.RunWithInputAsync("not a bundle", "bundle", "set", "-id", "fed-garbage.org", "-socketPath", this.server.SocketPath);
        var after = await this.RunAsync("bundle", "list", "-id", "fed-garbage.org");

        // Assert
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("Error: unable to parse bundle data: "));
        Assert.That(after.ExitCode, Is.EqualTo(1));
    }

    [Test]
    public async Task Delete_Restrict_WithFederatingEntry_Fails()
    {
        // Arrange
        var ca = TestCa.CreateRoot(TrustDomain.Parse("fed-used.org"), TimeProvider.System.GetUtcNow());
        await CliRunner.RunWithInputAsync(ca.CreateX509Bundle().MarshalPem(), "bundle", "set", "-id", "fed-used.org", "-socketPath", this.server.SocketPath);
        await this.RunAsync("entry", "create", "-spiffeID", "spiffe://example.org/uses-fed", "-parentID", "spiffe://example.org/agent", "-selector", "unix:uid:1", "-federatesWith", "fed-used.org");

        // Act
        var restrict = await this.RunAsync("bundle", "delete", "-id", "fed-used.org");
        var cascade = await this.RunAsync("bundle", "delete", "-id", "fed-used.org", "-mode", "delete");
        var entries = await this.RunAsync("entry", "count", "-spiffeID", "spiffe://example.org/uses-fed");

        // Assert
        Assert.That(restrict.ExitCode, Is.EqualTo(1));
        Assert.That(restrict.Stderr, Does.StartWith("Error: failed to delete federated bundle \"fed-used.org\": "));
        Assert.That(cascade.ExitCode, Is.Zero, cascade.Stderr);
        Assert.That(entries.Stdout, Is.EqualTo("0 registration entries\n"));
    }

    private static async Task<(int ExitCode, string Output)> RunOpensslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CliRunner.Timeout);
        return (process.ExitCode, output + error);
    }

    private async Task<int> CountAsync()
    {
        var result = await this.RunAsync("bundle", "count");
        Assert.That(result.Stdout, Does.Match("^[0-9]+ bundles?\n$"));
        return int.Parse(result.Stdout.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "-socketPath", this.server.SocketPath]);
}
