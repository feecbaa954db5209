using Spiffe.Agent.Attestation.Tests.Infrastructure;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests;

[TestFixture]
public sealed class WorkloadAttestationServiceTests
{
    private CapturingLogger<WorkloadAttestationService> _logger = null!;

    [SetUp]
    public void SetUp() => _logger = new CapturingLogger<WorkloadAttestationService>();

    [Test]
    public async Task AttestAsync_AllAttestorsSucceed_MergesSelectors()
    {
        // Arrange
        var service = CreateService(
            FakeAttestor.Returning("unix", "unix:uid:1000", "unix:gid:1000"),
            FakeAttestor.Returning("container", "container:id:abc"));
        var caller = new FakeCallerWatcher(alive: true);

        // Act
        var result = await service.AttestAsync(caller, CancellationToken.None);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.Succeeded));
        Assert.That(result.Selectors.ToString(), Is.EqualTo("container:id:abc,unix:gid:1000,unix:uid:1000"));
        Assert.That(caller.AliveChecks, Is.EqualTo(1));
    }

    [Test]
    public async Task AttestAsync_OneAttestorFails_KeepsTheOthersAndLogsTheFailure()
    {
        // Arrange
        var service = CreateService(FakeAttestor.Returning("unix", "unix:uid:1000"), FakeAttestor.Failing("systemd"));

        // Act
        var result = await service.AttestAsync(new FakeCallerWatcher(alive: true), CancellationToken.None);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.Succeeded));
        Assert.That(result.Selectors.ToString(), Is.EqualTo("unix:uid:1000"));
        var failure = _logger.Records.Single(r => r.EventId.Name == "WorkloadAttestorFailed");
        Assert.That(failure.Message, Does.Contain("systemd").And.Contain("4242"));
        Assert.That(failure.Exception, Is.TypeOf<WorkloadAttestorException>());
    }

    [Test]
    public async Task AttestAsync_AllAttestorsFail_ReturnsAttestationFailed()
    {
        // Arrange
        var service = CreateService(FakeAttestor.Failing("unix"), FakeAttestor.Failing("systemd"));

        // Act
        var result = await service.AttestAsync(new FakeCallerWatcher(alive: true), CancellationToken.None);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.AttestationFailed));
        Assert.That(result.Selectors, Is.Empty);
        Assert.That(_logger.Count("WorkloadAttestorFailed"), Is.EqualTo(2));
        Assert.That(_logger.Count("WorkloadAttestationFailed"), Is.EqualTo(1));
    }

    /// <summary>Security invariant: selectors of a caller that is no longer the connecting process are never returned.</summary>
    [Test]
    public async Task AttestAsync_CallerGoneAfterAttestation_ReturnsCallerGoneWithoutSelectors()
    {
        // Arrange
        var service = CreateService(FakeAttestor.Returning("unix", "unix:uid:0"));
        var caller = new FakeCallerWatcher(alive: false);

        // Act
        var result = await service.AttestAsync(caller, CancellationToken.None);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.CallerGone));
        Assert.That(result.Selectors, Is.Empty);
        Assert.That(_logger.Count("CallerGone"), Is.EqualTo(1));
    }

    [Test]
    public async Task AttestAsync_AttestorReturnsAnotherType_CountsAsThatAttestorFailing()
    {
        // Arrange
        var service = CreateService(FakeAttestor.Returning("unix", "unix:uid:1000"), FakeAttestor.Returning("container", "k8s:ns:default"));

        // Act
        var result = await service.AttestAsync(new FakeCallerWatcher(alive: true), CancellationToken.None);

        // Assert
        Assert.That(result.Selectors.ToString(), Is.EqualTo("unix:uid:1000"));
        Assert.That(_logger.Records.Single(r => r.EventId.Name == "WorkloadAttestorFailed").Exception!.Message, Does.Contain("'k8s'"));
    }

    [Test]
    public async Task AttestAsync_AttestorFindsNothing_SucceedsWithEmptySelectors()
    {
        // Arrange
        var service = CreateService(FakeAttestor.Returning("container"));

        // Act
        var result = await service.AttestAsync(new FakeCallerWatcher(alive: true), CancellationToken.None);

        // Assert
        Assert.That(result.Status, Is.EqualTo(WorkloadAttestationStatus.Succeeded));
        Assert.That(result.Selectors, Is.Empty);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AttestAsync_TwoAttestorsWaitingForEachOther_BothComplete(CancellationToken cancellationToken)
    {
        // Arrange: each attestor finishes only after the other has started, which needs them to run concurrently
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = CreateService(
            new FakeAttestor("a", async (_, ct) =>
            {
                firstStarted.SetResult();
                await secondStarted.Task.WaitAsync(ct);
                return [Selector.Parse("a:1")];
            }),
            new FakeAttestor("b", async (_, ct) =>
            {
                secondStarted.SetResult();
                await firstStarted.Task.WaitAsync(ct);
                return [Selector.Parse("b:2")];
            }));

        // Act
        var result = await service.AttestAsync(new FakeCallerWatcher(alive: true), cancellationToken);

        // Assert
        Assert.That(result.Selectors.ToString(), Is.EqualTo("a:1,b:2"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task AttestAsync_CancelledWhileAttesting_ThrowsOperationCanceled(CancellationToken cancellationToken)
    {
        // Arrange
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = CreateService(new FakeAttestor("slow", async (_, ct) =>
        {
            started.SetResult();
            await never.Task.WaitAsync(ct);
            return [];
        }));
        var caller = new FakeCallerWatcher(alive: true);

        // Act
        var attestation = service.AttestAsync(caller, cancellation.Token).AsTask();
        await started.Task.WaitAsync(cancellationToken);
        await cancellation.CancelAsync();

        // Assert
        Assert.That(async () => await attestation, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(caller.AliveChecks, Is.Zero);
        Assert.That(_logger.Count("WorkloadAttestorFailed"), Is.Zero);
    }

    [Test]
    public void Constructor_NoAttestors_Throws()
    {
        // Arrange / Act / Assert
        Assert.That(() => CreateService(), Throws.TypeOf<ArgumentException>());
    }

    [Test]
    public void Constructor_DuplicateNames_Throws()
    {
        // Arrange / Act / Assert
        Assert.That(
            () => CreateService(FakeAttestor.Returning("unix"), FakeAttestor.Returning("unix")),
            Throws.TypeOf<ArgumentException>());
    }

    private WorkloadAttestationService CreateService(params IWorkloadAttestor[] attestors) => new(attestors, _logger);
}
