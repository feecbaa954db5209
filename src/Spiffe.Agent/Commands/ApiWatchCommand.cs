using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>api watch</c>: streams the caller's X509-SVIDs and prints every update until interrupted, retrying as clients
/// do (it stops only on <c>InvalidArgument</c>).
/// </summary>
internal sealed class ApiWatchCommand : AgentCommand
{
    private readonly ClientOptions _client = new(withTimeout: false);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the command.</summary>
    public ApiWatchCommand(TimeProvider timeProvider)
        : base("watch", "Attaches to the Workload API and prints updated SVIDs as they are received")
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _client.AddTo(this);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var json = _client.IsJson(parseResult);
        var last = _timeProvider.GetTimestamp();
        var gate = new SemaphoreSlim(1, 1);
        try
        {
            await using var client = _client.CreateClient(parseResult, requireSocket: false);
            await client.WatchX509ContextAsync(
                context =>
                {
                    gate.Wait(cancellationToken);
                    try
                    {
                        var elapsed = _timeProvider.GetElapsedTime(last);
                        last = _timeProvider.GetTimestamp();
                        (json ? X509Output.PrintJsonAsync(output, context) : X509Output.PrintPrettyAsync(output, context, elapsed)).GetAwaiter().GetResult();
                        output.Flush();
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                ex => error.WriteLine("Error: " + ClientErrors.Describe(ex, TimeSpan.Zero)),
                cancellationToken);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ClientErrors.IsClientFailure(ex))
        {
            await error.WriteLineAsync("Error: " + ClientErrors.Describe(ex, TimeSpan.Zero));
            return ExitCodes.Failure;
        }
        finally
        {
            gate.Dispose();
        }
    }
}
