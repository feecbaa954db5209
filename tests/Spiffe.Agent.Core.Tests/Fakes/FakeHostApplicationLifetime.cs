using Microsoft.Extensions.Hosting;

namespace Spiffe.Agent.Core.Tests.Fakes;

/// <summary>Records <see cref="StopApplication"/>.</summary>
internal sealed class FakeHostApplicationLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public int StopRequests { get; private set; }

    public void StopApplication() => StopRequests++;
}
