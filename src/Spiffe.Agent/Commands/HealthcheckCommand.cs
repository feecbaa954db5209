using System.CommandLine;
using System.Text.Json;
using Grpc.Core;
using Spiffe.Agent.Endpoints.Hosting;
using Spiffe.Proto.Grpc.Health.V1;

namespace Spiffe.Agent.Commands;

/// <summary>
/// <c>healthcheck</c>: asks the agent's <c>grpc.health.v1.Health/Check</c> on the public socket. Healthy means
/// SERVING (the agent can attest and serve, or correctly answers "no identity"); <c>-shallow</c> only requires the
/// agent to answer. Prints <c>Agent is healthy.</c>, or <c>Agent is unhealthy: …</c> and exits non-zero.
/// </summary>
internal sealed class HealthcheckCommand : AgentCommand
{
    private readonly ClientOptions _client = new();
    private readonly Option<bool> _shallow = new("-shallow", "--shallow") { Description = "Perform a less stringent health check" };
    private readonly Option<bool> _verbose = new("-verbose", "--verbose") { Description = "Print verbose information" };

    /// <summary>Creates the command.</summary>
    public HealthcheckCommand()
        : base("healthcheck", "Determines agent health status")
    {
        _client.AddTo(this);
        Options.Add(_shallow);
        Options.Add(_verbose);
    }

    /// <inheritdoc />
    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        var verbose = parseResult.GetValue(_verbose);
        var json = _client.IsJson(parseResult);
        string socketPath;
        try
        {
            socketPath = _client.SocketPath(parseResult);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync("Error: " + ex.Message);
            return ExitCodes.Failure;
        }

        if (verbose)
        {
            await output.WriteLineAsync($"Checking agent health on {socketPath}...");
        }

        if (!File.Exists(socketPath))
        {
            if (verbose)
            {
                await output.WriteLineAsync($"Failed to check health: connection error: dial unix {socketPath}: connect: no such file or directory");
            }

            return await UnhealthyAsync(output, error, json, "unable to determine health");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_client.Timeout(parseResult));
        using var channel = UnixSocketChannel.Create(socketPath);
        HealthCheckResponse.Types.ServingStatus status;
        try
        {
            var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: timeout.Token);
            status = response.Status;
        }
        catch (RpcException ex)
        {
            if (verbose)
            {
                await output.WriteLineAsync($"Failed to check health: rpc error: code = {ex.StatusCode} desc = {ex.Status.Detail}");
            }

            return await UnhealthyAsync(output, error, json, "unable to determine health");
        }

        if (verbose)
        {
            await output.WriteLineAsync($"Agent returned {ToGrpcName(status)}");
        }

        if (!parseResult.GetValue(_shallow) && status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            return await UnhealthyAsync(output, error, json, $"agent returned status \"{ToGrpcName(status)}\"");
        }

        await output.WriteLineAsync(json ? JsonSerializer.Serialize(new Dictionary<string, object> { ["healthy"] = true, ["status"] = ToGrpcName(status) }) : "Agent is healthy.");
        return ExitCodes.Success;
    }

    private static async Task<int> UnhealthyAsync(TextWriter output, TextWriter error, bool json, string reason)
    {
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["healthy"] = false, ["reason"] = reason }));
        }

        await error.WriteLineAsync("Agent is unhealthy: " + reason);
        return ExitCodes.Failure;
    }

    private static string ToGrpcName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };
}
