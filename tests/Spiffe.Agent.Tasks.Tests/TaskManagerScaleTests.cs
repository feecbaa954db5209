using System.Diagnostics;
using Spiffe.Agent.Tasks.Audit;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class TaskManagerScaleTests
{
    private TaskFixture fixture = null!;

    [SetUp]
    public void SetUp() => fixture = new TaskFixture(TimeProvider.System);

    [TearDown]
    public async Task TearDown() => await fixture.DisposeAsync();

    [Test]
    public async Task StartAndEnd_1000Tasks_LeaveNoCgroupAndNoLease()
    {
        // Arrange
        const int Count = 1000;
        var clock = Stopwatch.StartNew();

        // Act
        for (var i = 0; i < Count; i++)
        {
            var lease = await fixture.Manager.StartTaskAsync(new StartTaskRequest { Agent = "researcher" }, CancellationToken.None);
            await fixture.Manager.EndTaskAsync(lease.TaskId, TaskEndReason.Explicit, kill: false, CancellationToken.None);
        }

        clock.Stop();

        // Assert
        Assert.That(fixture.Manager.List(), Is.Empty);
        Assert.That(Directory.EnumerateDirectories(fixture.ParentDirectory), Is.Empty);
        Assert.That(File.ReadAllText(fixture.StateFile), Does.Contain("\"tasks\":[]"));
        var verification = AuditVerifier.Verify(fixture.Audit.Files());
        Assert.That(verification.IsValid, Is.True);
        Assert.That(verification.RecordCount, Is.EqualTo(2 * Count));
        TestContext.Out.WriteLine($"{Count} start+end: {clock.Elapsed.TotalMilliseconds:F0} ms");
    }
}
