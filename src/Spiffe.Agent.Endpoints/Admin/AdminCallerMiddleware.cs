using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Tasks;

namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>
/// Connection middleware of the admin socket: reads the caller's peer credentials (<c>SO_PEERCRED</c>) once at accept
/// and keeps them on the connection; a connection whose credentials cannot be read is closed at once.
/// </summary>
internal sealed class AdminCallerMiddleware
{
    private readonly IPeerTracker _peerTracker;
    private readonly ILogger<AdminCallerMiddleware> _logger;

    /// <summary>Creates the middleware.</summary>
    public AdminCallerMiddleware(IPeerTracker peerTracker, ILogger<AdminCallerMiddleware> logger)
    {
        _peerTracker = peerTracker ?? throw new ArgumentNullException(nameof(peerTracker));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Adapts the middleware to <c>ListenOptions.Use</c>.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> AsConnectionMiddleware() =>
        next => connection => InvokeAsync(connection, next);

    private async Task InvokeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        CallerCredentials credentials;
        try
        {
            using var watcher = _peerTracker.Track(socket ?? throw new CallerTrackingException("the connection has no socket"));
            credentials = watcher.Credentials;
        }
        catch (Exception ex) when (ex is CallerTrackingException or ArgumentException)
        {
            TaskEndpointsLog.AdminCallerUntracked(_logger, connection.ConnectionId, ex);
            return;
        }

        connection.Features.Set<IAdminCallerFeature>(new AdminCaller(credentials.Uid, credentials.Pid));
        await next(connection);
    }

    private sealed record AdminCaller(uint Uid, int Pid) : IAdminCallerFeature;
}
