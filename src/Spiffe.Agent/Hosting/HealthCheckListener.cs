using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Configuration;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Agent.Tasks.Policy;

namespace Spiffe.Agent.Hosting;

/// <summary>
/// SPIRE's <c>health_checks</c> HTTP listener: <c>ready</c> is 200 when the Workload API socket is open and a loopback
/// <c>FetchX509Bundles</c> does not fail with <c>Unavailable</c> (or time out), else 500; <c>live</c> is 200 while the
/// agent is still starting and then the same as ready. With task-bound identities, ready also requires every policy file
/// to be loaded, and the document reports the policy status. Both answer with a small JSON document.
/// </summary>
internal sealed class HealthCheckListener : IHostedService, IAsyncDisposable
{
    private readonly HealthCheckSettings _settings;
    private readonly WorkloadEndpointServer _endpoint;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<HealthCheckListener> _logger;
    private readonly PolicyEngine? _policies;
    private WebApplication? _app;

    /// <summary>Creates the listener; with <paramref name="policies"/> (task-bound identities), ready also needs healthy policies.</summary>
    public HealthCheckListener(HealthCheckSettings settings, WorkloadEndpointServer endpoint, ILoggerFactory loggerFactory, PolicyEngine? policies = null)
    {
        _policies = policies;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        _logger = loggerFactory.CreateLogger<HealthCheckListener>();
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var app = SideWebApp.Create(_settings.BindAddress, _settings.BindPort, _loggerFactory);
        app.MapGet(_settings.LivePath, context => RespondAsync(context, live: true));
        app.MapGet(_settings.ReadyPath, context => RespondAsync(context, live: false));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            AgentLog.ListenerFailed(_logger, "health check", _settings.BindAddress, _settings.BindPort, ex);
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        AgentLog.HealthListenerStarted(_logger, _settings.BindAddress, _settings.BindPort, _settings.LivePath, _settings.ReadyPath);
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

    private async Task RespondAsync(HttpContext context, bool live)
    {
        var started = _endpoint.IsListening;
        var status = started ? await _endpoint.Probe.FetchX509BundlesAsync(context.RequestAborted) : StatusCode.Unavailable;
        var policy = _policies?.Status;
        var ready = started && status is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded) && (policy?.IsHealthy ?? true);
        var ok = live ? (!started || ready) : ready;
        context.Response.StatusCode = ok ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object>
        {
            ["agent"] = new Dictionary<string, object>
            {
                ["started"] = started,
                ["ready"] = ready,
                ["workload_api"] = started ? status.ToString() : "not started",
            },
        };
        if (policy is not null)
        {
            body["policy"] = new Dictionary<string, object?>
            {
                ["healthy"] = policy.IsHealthy,
                ["directory_error"] = policy.DirectoryError,
                ["files"] = policy.Files.Select(f => new Dictionary<string, object?>
                {
                    ["path"] = f.File,
                    ["state"] = f.State.ToString(),
                    ["error"] = f.Error,
                }).ToList(),
            };
        }

        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
