using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Proto.Grpc.Health.V1;
using Spiffe.Server.Cli.Output;

namespace Spiffe.Server.Cli.Commands;

/// <summary>
/// <c>healthcheck</c>: asks <c>grpc.health.v1.Health/Check</c> on the admin socket about the whole server; prints
/// <c>Server is healthy.</c>, or <c>Server is unhealthy: reason</c> on stderr and exits non-zero.
/// </summary>
internal sealed class HealthcheckCommand : AdminCommand
{
    private readonly Option<bool> shallowOption = new("-shallow", "--shallow") { Description = "Perform a less stringent health check (accepted for compatibility: the check is always the same)" };

    private readonly Option<bool> verboseOption = new("-verbose", "--verbose") { Description = "Print verbose information" };

    /// <summary>Creates the command.</summary>
    public HealthcheckCommand()
        : base("healthcheck", "Determines server health status")
    {
        this.Options.Add(this.shallowOption);
        this.Options.Add(this.verboseOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var verbose = parseResult.GetValue(this.verboseOption);
        if (verbose)
        {
            await output.Out.WriteLineAsync("Checking server health...");
        }

        HealthCheckResponse response;
        try
        {
            response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: cancellationToken);
        }
        catch (RpcException ex)
        {
            if (verbose)
            {
                await output.Error.WriteLineAsync("Failed to check health: " + Describe(ex));
            }

            return await UnhealthyAsync(output, "unable to determine health");
        }

        if (output.IsJson)
        {
            output.WriteJson(response);
        }

        if (response.Status != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            return await UnhealthyAsync(output, $"server returned status \"{ServingStatusName(response.Status)}\"");
        }

        if (!output.IsJson)
        {
            await output.Out.WriteLineAsync("Server is healthy.");
        }

        return ExitCodes.Success;
    }

    private static string ServingStatusName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };

    private static async Task<int> UnhealthyAsync(CommandOutput output, string reason)
    {
        await output.Error.WriteLineAsync("Server is unhealthy: " + reason);
        return ExitCodes.Failure;
    }
}
