using Microsoft.Extensions.Logging;

namespace Spiffe.WorkloadApi;

/// <summary>Settings for <see cref="WorkloadApiClient.Create"/>.</summary>
public sealed class WorkloadApiClientOptions
{
    /// <summary>
    /// The endpoint address, for example <c>unix:///run/spire/agent.sock</c> or <c>tcp://127.0.0.1:8081</c>. When null,
    /// the address comes from the <c>SPIFFE_ENDPOINT_SOCKET</c> environment variable.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>The clock used for watch retry delays. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the client and the sources built on it log watch failures and retries; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
