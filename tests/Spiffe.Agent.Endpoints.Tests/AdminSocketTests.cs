using System.Runtime.Versioning;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Admin;
using Spiffe.Agent.Endpoints.Tests.Infrastructure;

namespace Spiffe.Agent.Endpoints.Tests;

/// <summary>The admin socket (task service) is reachable only by its owner, or its group when non-root UIDs are allowed.</summary>
[TestFixture]
[SupportedOSPlatform("linux")]
public sealed class AdminSocketTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void SetUp() => _directory = Path.Combine(Path.GetTempPath(), "spiffe-admin-" + Guid.NewGuid().ToString("N")[..10]);

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [TestCase(new uint[] { 0 }, 0b111_000_000, 0b110_000_000)]
    [TestCase(new uint[] { 0, 1000 }, 0b111_101_000, 0b110_110_000)]
    public async Task Start_AllowedUids_DirectoryAndSocketModes(uint[] allowedUids, int directoryMode, int socketMode)
    {
        // Arrange
        var options = new AdminEndpointOptions { SocketPath = Path.Combine(_directory, "private", "admin.sock"), AllowedUids = allowedUids };
        await using var server = new AdminEndpointServer(options, new UnusedTaskControl(), new FakePeerTracker(), TimeProvider.System, NullLoggerFactory.Instance);

        // Act
        await server.StartAsync(CancellationToken.None).DefaultTimeout();

        // Assert
        Assert.That(File.GetUnixFileMode(Path.GetDirectoryName(options.SocketPath)!), Is.EqualTo((UnixFileMode)directoryMode));
        Assert.That(File.GetUnixFileMode(options.SocketPath), Is.EqualTo((UnixFileMode)socketMode));
    }

    private sealed class UnusedTaskControl : ITaskControl
    {
        public Task<TaskIdentity> StartAsync(TaskStartSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<TaskChange> EndAsync(string taskId, bool kill, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IReadOnlyList<TaskIdentity> List() => throw new NotSupportedException();

        public IAsyncEnumerable<TaskChange> WatchAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
