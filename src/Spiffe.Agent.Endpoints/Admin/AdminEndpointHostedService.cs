using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Endpoints.Tasks;

namespace Spiffe.Agent.Endpoints.Admin;

/// <summary>Opens the admin socket once the agent is ready (tasks need the agent SVID and the server) and closes it on stop.</summary>
internal sealed class AdminEndpointHostedService : BackgroundService
{
    private readonly IAgentStartup _startup;
    private readonly AdminEndpointServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<AdminEndpointHostedService> _logger;

    /// <summary>Creates the service.</summary>
    public AdminEndpointHostedService(
        IAgentStartup startup, AdminEndpointServer server, IHostApplicationLifetime lifetime, ILogger<AdminEndpointHostedService> logger)
    {
        _startup = startup ?? throw new ArgumentNullException(nameof(startup));
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _server.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _startup.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!_startup.Ready.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await _server.StartAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping before the socket opened.
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            TaskEndpointsLog.AdminEndpointStartFailed(_logger, _server.SocketPath, ex);
            _lifetime.StopApplication();
        }
    }
}
