using System.Collections.Concurrent;
using System.Net.Sockets;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>
/// Tracks every accepted connection with a <see cref="FakeCallerWatcher"/> (PID 4242 unless set, so the calls are
/// not taken for the agent's own health probes) and records the sockets it was given.
/// </summary>
internal sealed class FakePeerTracker : IPeerTracker
{
    private readonly ConcurrentQueue<FakeCallerWatcher> _watchers = new();

    public CallerCredentials Credentials { get; set; } = new(4242, 1000, 1000);

    public Exception? FailWith { get; set; }

    public int TrackCount => _watchers.Count + FailedCount;

    public int FailedCount { get; private set; }

    public IReadOnlyList<FakeCallerWatcher> Watchers => [.. _watchers];

    public List<AddressFamily> SocketFamilies { get; } = [];

    public ICallerWatcher Track(Socket acceptedUnixSocket)
    {
        lock (SocketFamilies)
        {
            SocketFamilies.Add(acceptedUnixSocket.AddressFamily);
        }

        if (FailWith is { } failure)
        {
            FailedCount++;
            throw failure;
        }

        var watcher = new FakeCallerWatcher(Credentials);
        _watchers.Enqueue(watcher);
        return watcher;
    }
}
