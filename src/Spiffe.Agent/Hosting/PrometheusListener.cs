using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Spiffe.Agent.Configuration;

namespace Spiffe.Agent.Hosting;

/// <summary>Serves <c>/metrics</c> in the Prometheus text format on the <c>telemetry { Prometheus { … } }</c> address.</summary>
internal sealed class PrometheusListener : IHostedService, IAsyncDisposable
{
    private readonly PrometheusSettings _settings;
    private readonly MeterProvider _meterProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<PrometheusListener> _logger;
    private WebApplication? _app;

    /// <summary>Creates the listener over the agent's meter provider (which has the Prometheus exporter).</summary>
    public PrometheusListener(PrometheusSettings settings, MeterProvider meterProvider, ILoggerFactory loggerFactory)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _meterProvider = meterProvider ?? throw new ArgumentNullException(nameof(meterProvider));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<PrometheusListener>();
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var app = SideWebApp.Create(_settings.Host, _settings.Port, _loggerFactory);
        app.MapPrometheusScrapingEndpoint("/metrics", _meterProvider, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            AgentLog.ListenerFailed(_logger, "Prometheus", _settings.Host, _settings.Port, ex);
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        AgentLog.PrometheusListenerStarted(_logger, _settings.Host, _settings.Port);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.DisposeAsync();
        }
    }
}
