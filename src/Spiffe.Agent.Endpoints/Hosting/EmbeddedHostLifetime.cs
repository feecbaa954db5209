using Microsoft.Extensions.Hosting;

namespace Spiffe.Agent.Endpoints.Hosting;

/// <summary>
/// The lifetime of a web host that runs inside the agent's main host: it waits for nothing and does not listen for
/// Ctrl+C or SIGTERM (the main host handles those and stops the embedded one).
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
