using Spiffe.Agent.Tasks.Linux;
using Spiffe.Agent.Tasks.Tests.TestSupport;

namespace Spiffe.Agent.Tasks.Tests;

[TestFixture]
public sealed class TaskLauncherTests
{
    private string directory = null!;
    private TaskLauncher launcher = null!;

    [SetUp]
    public void SetUp()
    {
        directory = Directory.CreateTempSubdirectory("spiffe-launcher-test-").FullName;
        launcher = new TaskLauncher(new ProcFs("/proc"), TimeProvider.System);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(directory, recursive: true);

    [Test]
    public async Task RunAsync_Registration_SeesStoppedProcessThatHasNotRunTheCommandYet()
    {
        // Arrange
        var marker = Path.Combine(directory, "ran");
        char? stateAtRegistration = null;
        bool? ranAtRegistration = null;

        // Act
        var exitCode = await launcher.RunAsync(["touch", marker], (pid, _) =>
        {
            stateAtRegistration = new ProcFs("/proc").TryReadStat(pid)?.State;
            ranAtRegistration = File.Exists(marker);
            return Task.CompletedTask;
        }, CancellationToken.None).WithTimeout();

        // Assert
        Assert.That(stateAtRegistration, Is.EqualTo('T'));
        Assert.That(ranAtRegistration, Is.False);
        Assert.That(exitCode, Is.Zero);
        Assert.That(File.Exists(marker), Is.True);
    }

    [Test]
    public async Task RunAsync_CommandExitCode_IsReturned()
    {
        // Act
        var exitCode = await launcher.RunAsync(["sh", "-c", "exit 7"], (_, _) => Task.CompletedTask, CancellationToken.None).WithTimeout();

        // Assert
        Assert.That(exitCode, Is.EqualTo(7));
    }

    [Test]
    public async Task RunAsync_RegistrationFails_KillsProcessAndRethrows()
    {
        // Arrange
        var marker = Path.Combine(directory, "ran");
        var pid = 0;

        // Act
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => launcher.RunAsync(["touch", marker], (p, _) =>
        {
            pid = p;
            throw new InvalidOperationException("agent said no");
        }, CancellationToken.None));

        // Assert
        Assert.That(error!.Message, Is.EqualTo("agent said no"));
        await Wait.UntilAsync(() => !TestProcesses.IsAlive(pid), "the stopped shim is killed");
        Assert.That(File.Exists(marker), Is.False, "the command never ran");
    }

    [Test]
    public async Task RunAsync_Cancelled_KillsProcess()
    {
        // Arrange
        using var cancel = new CancellationTokenSource();
        var pid = 0;

        // Act
        var run = launcher.RunAsync(["sleep", "30"], (p, _) =>
        {
            pid = p;
            return Task.CompletedTask;
        }, cancel.Token);
        await Wait.UntilAsync(() => pid != 0 && TestProcesses.CommandOf(pid) == "sleep", "sleep runs");
        await cancel.CancelAsync();

        // Assert
        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        await Wait.UntilAsync(() => !TestProcesses.IsAlive(pid), "sleep is killed");
    }

    [Test]
    public void RunAsync_EmptyCommand_Throws()
    {
        // Act + Assert
        Assert.That(() => launcher.RunAsync([], (_, _) => Task.CompletedTask, CancellationToken.None), Throws.ArgumentException);
    }
}
