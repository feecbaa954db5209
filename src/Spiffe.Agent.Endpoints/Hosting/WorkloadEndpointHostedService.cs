using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Hosting;

/// <summary>
/// Opens the Workload API socket once the agent back end is ready (node attestation and the first sync succeeded, as
/// SPIRE requires) and closes it when the host stops. A failure to bind stops the host.
/// </summary>
internal sealed class WorkloadEndpointHostedService : BackgroundService
{
    private readonly IAgentStartup _startup;
    private readonly WorkloadEndpointServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<WorkloadEndpointHostedService> _logger;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the service.</summary>
    public WorkloadEndpointHostedService(
        IAgentStartup startup, WorkloadEndpointServer server, IHostApplicationLifetime lifetime, ILogger<WorkloadEndpointHostedService> logger)
    {
        _startup = startup ?? throw new ArgumentNullException(nameof(startup));
        _server = server ?? throw new ArgumentNullException(nameof(server));
        _lifetime = lifetime ?? throw new ArgumentNullException(nameof(lifetime));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Completes when the socket is listening; cancelled if the host stops first or the bind fails.</summary>
    public Task Listening => _listening.Task;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _server.StopAsync(cancellationToken);
        _listening.TrySetCanceled(CancellationToken.None);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EndpointsLog.WaitingForAgentStartup(_logger);
        try
        {
            await _startup.Ready.WaitAsync(stoppingToken);
        }
        catch (Exception) when (!_startup.Ready.IsCompletedSuccessfully)
        {
            // The back end reports its own failure (MustExit) and stops the host; nothing to open.
            _listening.TrySetCanceled(CancellationToken.None);
            return;
        }

        try
        {
            await _server.StartAsync(stoppingToken);
            _listening.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _listening.TrySetCanceled(CancellationToken.None);
        }
        catch (Exception ex)
        {
            EndpointsLog.EndpointStartFailed(_logger, _server.SocketPath, ex);
            _listening.TrySetException(ex);
            _lifetime.StopApplication();
        }
    }
}
