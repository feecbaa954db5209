using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>api fetch x509</c> (also plain <c>api fetch</c>, as in spire-agent): fetches the caller's X509-SVIDs and bundles
/// through <see cref="Spiffe.WorkloadApi.WorkloadApiClient"/>, prints them, and with <c>-write</c> stores them as PEM.
/// </summary>
internal abstract class X509FetchCommandBase : AgentCommand
{
    private readonly ClientOptions _client = new();
    private readonly TimeProvider _timeProvider;
    private readonly Option<string?> _write = new("-write", "--write") { Description = "Write SVID data to the specified path" };
    private readonly Option<bool> _silent = new("-silent", "--silent") { Description = "Suppress stdout" };

    /// <summary>Creates the command.</summary>
    protected X509FetchCommandBase(string name, string description, TimeProvider timeProvider)
        : base(name, description)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _client.AddTo(this);
        Options.Add(_write);
        Options.Add(_silent);
    }

    /// <inheritdoc />
    protected sealed override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var timeout = _client.Timeout(parseResult);
        try
        {
            await using var client = _client.CreateClient(parseResult);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var started = _timeProvider.GetTimestamp();
            var context = await client.FetchX509ContextAsync(deadline.Token);
            var elapsed = _timeProvider.GetElapsedTime(started);
            if (!parseResult.GetValue(_silent))
            {
                if (_client.IsJson(parseResult))
                {
                    await X509Output.PrintJsonAsync(output, context);
                }
                else
                {
                    await X509Output.PrintPrettyAsync(output, context, elapsed);
                }
            }

            if (parseResult.GetValue(_write) is { Length: > 0 } directory)
            {
                await X509Output.WriteAsync(output, context, directory);
            }

            return ExitCodes.Success;
        }
        catch (Exception ex) when (ClientErrors.IsClientFailure(ex))
        {
            await error.WriteLineAsync("Error: " + ClientErrors.Describe(ex, timeout));
            return ExitCodes.Failure;
        }
    }
}
