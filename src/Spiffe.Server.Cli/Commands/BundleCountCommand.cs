using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>bundle count</c>: counts the bundles the server holds (CountBundles).</summary>
internal sealed class BundleCountCommand : AdminCommand
{
    /// <summary>Creates the command.</summary>
    public BundleCountCommand()
        : base("count", "Count bundles")
    {
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var response = await new BundleApi.Bundle.BundleClient(channel).CountBundlesAsync(new BundleApi.CountBundlesRequest(), cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(response);
        }
        else
        {
            await output.Out.WriteLineAsync($"{response.Count} {(response.Count == 1 ? "bundle" : "bundles")}");
        }

        return ExitCodes.Success;
    }
}
