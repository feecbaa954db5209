using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Configuration;
using Spiffe.Agent.Hosting;
using Spiffe.Sidecar;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>sidecar</c>: spiffe-helper behaviour for workloads that read PEM files instead of calling the Workload API —
/// keeps the SVIDs and bundles of a <c>helper.conf</c> written and signals or runs the workload on rotation
/// (<see cref="SidecarRunner"/>). Runs until Ctrl+C or SIGTERM in daemon mode; otherwise exits after the first write.
/// </summary>
internal sealed class SidecarCommand : AgentCommand
{
    private readonly TimeProvider _timeProvider;

    private readonly Option<string> _config = new("-config", "--config")
    {
        Description = "Path to a spiffe-helper configuration file",
        DefaultValueFactory = _ => "helper.conf",
    };

    private readonly Option<bool?> _daemonMode = new("-daemon-mode", "--daemon-mode")
    {
        Description = "Keep running and rewrite the files on every rotation (overrides daemon_mode)",
    };

    private readonly Option<string?> _logLevel = new("-logLevel", "--logLevel") { Description = "DEBUG, INFO, WARN or ERROR (default INFO)" };

    /// <summary>Creates the command.</summary>
    public SidecarCommand(TimeProvider timeProvider)
        : base("sidecar", "Keeps SVIDs and bundles written as files for a workload (spiffe-helper)")
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Options.Add(_config);
        Options.Add(_daemonMode);
        Options.Add(_logLevel);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var level = parseResult.GetValue(_logLevel) is { } text ? AgentConfigLoader.ParseLogLevel(text) : AgentLogLevel.Info;
        if (level is null)
        {
            await error.WriteLineAsync("Error: -logLevel must be one of DEBUG, INFO, WARN, ERROR");
            return ExitCodes.Failure;
        }

        SidecarOptions options;
        try
        {
            options = SidecarConfig.Load(parseResult.GetRequiredValue(_config));
        }
        catch (Exception ex) when (ex is SidecarConfigException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.InvalidConfiguration;
        }

        if (parseResult.GetValue(_daemonMode) is { } daemonMode)
        {
            options = options with { DaemonMode = daemonMode };
        }

        using var loggerFactory = LoggerFactory.Create(logging => AgentLogging.Configure(logging, level.Value, AgentLogFormat.Text));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await new SidecarRunner(options, loggerFactory, _timeProvider).RunAsync(stop.Token) == SidecarRunner.Success
            ? ExitCodes.Success
            : ExitCodes.Failure;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
