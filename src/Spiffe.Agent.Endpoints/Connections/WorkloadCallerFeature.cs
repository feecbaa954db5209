using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Endpoints.Connections;

/// <summary>The <see cref="IWorkloadCallerFeature"/> of a Kestrel connection.</summary>
internal sealed class WorkloadCallerFeature : IWorkloadCallerFeature
{
    private readonly ConnectionContext _connection;

    /// <summary>Creates the feature for <paramref name="connection"/>.</summary>
    public WorkloadCallerFeature(ICallerWatcher watcher, ConnectionContext connection)
    {
        Watcher = watcher ?? throw new ArgumentNullException(nameof(watcher));
        _connection = connection ?? throw new ArgumentNullException(nameof(connection));
    }

    /// <inheritdoc />
    public ICallerWatcher Watcher { get; }

    /// <inheritdoc />
    public void CloseConnection()
    {
        if (_connection.Features.Get<IConnectionLifetimeNotificationFeature>() is { } lifetime)
        {
            lifetime.RequestClose();
        }
        else
        {
            _connection.Abort(new ConnectionAbortedException("the caller could not be verified"));
        }
    }
}
