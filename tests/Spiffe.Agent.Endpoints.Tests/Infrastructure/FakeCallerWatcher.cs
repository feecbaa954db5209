using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>A caller watcher with fixed credentials whose liveness the test sets.</summary>
internal sealed class FakeCallerWatcher : ICallerWatcher
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeCallerWatcher(CallerCredentials credentials) => Credentials = credentials;

    public CallerCredentials Credentials { get; }

    public bool Alive { get; set; } = true;

    public Task Disposed => _disposed.Task;

    public bool IsAlive() => Alive && !_disposed.Task.IsCompleted;

    public void Dispose() => _disposed.TrySetResult();
}
