using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Spiffe.Server.Hosting;

/// <summary>Test and embedding hooks for <see cref="ServerHost"/>; the defaults are what <c>spiffe-server run</c> uses.</summary>
internal sealed record ServerHostOptions
{
    /// <summary>The clock for everything time-dependent (CA rotation, SVID validity, token expiry).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Replaces the default logging setup (console per <c>log_format</c>, or <c>log_file</c>).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Extra service registrations applied last (tests may replace singletons).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Whether to run the background rotation loop (tests driving a FakeTimeProvider may call it directly).</summary>
    public bool RunBackgroundRotation { get; init; } = true;
}
