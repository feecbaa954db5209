using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Connections;

/// <summary>
/// Kestrel connection middleware of the Workload API socket: reads the peer credentials of every accepted connection
/// exactly once (<see cref="IPeerTracker.Track"/> on the socket from <see cref="IConnectionSocketFeature"/>), as SPIRE's
/// peer-tracking listener does at accept time, and keeps the watcher in the connection's features until the
/// connection ends. A connection whose caller cannot be tracked is closed without reading a byte of HTTP/2.
/// </summary>
internal sealed class CallerTrackingMiddleware
{
    private readonly IPeerTracker _peerTracker;
    private readonly WorkloadApiMetrics _metrics;
    private readonly ILogger<CallerTrackingMiddleware> _logger;

    /// <summary>Creates the middleware.</summary>
    public CallerTrackingMiddleware(IPeerTracker peerTracker, WorkloadApiMetrics metrics, ILogger<CallerTrackingMiddleware> logger)
    {
        _peerTracker = peerTracker ?? throw new ArgumentNullException(nameof(peerTracker));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Adapts the middleware to <c>ListenOptions.Use</c>.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> AsConnectionMiddleware() =>
        next => connection => InvokeAsync(connection, next);

    /// <summary>Tracks the caller of <paramref name="connection"/>, then runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null)
        {
            EndpointsLog.ConnectionWithoutSocket(_logger, connection.ConnectionId);
            _metrics.ConnectionRejected();
            return;
        }

        ICallerWatcher watcher;
        try
        {
            watcher = _peerTracker.Track(socket);
        }
        catch (Exception ex) when (ex is CallerTrackingException or ArgumentException)
        {
            // SPIRE closes the connection and keeps accepting; returning without calling next closes it.
            EndpointsLog.CallerTrackingFailed(_logger, connection.ConnectionId, ex);
            _metrics.ConnectionRejected();
            return;
        }

        using (watcher)
        {
            connection.Features.Set<IWorkloadCallerFeature>(new WorkloadCallerFeature(watcher, connection));
            _metrics.ConnectionOpened();
            try
            {
                await next(connection);
            }
            finally
            {
                _metrics.ConnectionClosed();
                connection.Features.Set<IWorkloadCallerFeature>(null);
            }
        }
    }
}
