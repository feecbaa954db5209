using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>A workload attestor whose behaviour is a delegate.</summary>
internal sealed class FakeAttestor : IWorkloadAttestor
{
    private readonly Func<int, CancellationToken, ValueTask<IReadOnlyList<Selector>>> _attest;

    public FakeAttestor(string name, Func<int, CancellationToken, ValueTask<IReadOnlyList<Selector>>> attest)
    {
        Name = name;
        _attest = attest;
    }

    public string Name { get; }

    public static FakeAttestor Returning(string name, params string[] selectors) =>
        new(name, (_, _) => ValueTask.FromResult<IReadOnlyList<Selector>>([.. selectors.Select(Selector.Parse)]));

    public static FakeAttestor Failing(string name) =>
        new(name, (_, _) => throw new WorkloadAttestorException(name + " is broken"));

    public ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken) => _attest(pid, cancellationToken);
}

/// <summary>A caller watcher whose liveness the test sets.</summary>
internal sealed class FakeCallerWatcher : ICallerWatcher
{
    public FakeCallerWatcher(bool alive) => Alive = alive;

    public CallerCredentials Credentials { get; } = new(4242, 1000, 1000);

    public bool Alive { get; set; }

    public int AliveChecks { get; private set; }

    public bool IsAlive()
    {
        AliveChecks++;
        return Alive;
    }

    public void Dispose()
    {
    }
}
