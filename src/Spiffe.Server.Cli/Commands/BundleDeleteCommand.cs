using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>bundle delete</c>: deletes a federated bundle with a <c>-mode</c> for the entries that federate with it (BatchDeleteFederatedBundle).</summary>
internal sealed class BundleDeleteCommand : AdminCommand
{
    private readonly Option<string> idOption = new("-id", "--id") { Description = "SPIFFE ID of the trust domain" };

    private readonly Option<string> modeOption = new("-mode", "--mode")
    {
        Description = "Deletion mode: one of restrict, delete, or dissociate",
        DefaultValueFactory = _ => "restrict",
    };

    /// <summary>Creates the command.</summary>
    public BundleDeleteCommand()
        : base("delete", "Deletes federated bundle data")
    {
        this.Options.Add(this.idOption);
        this.Options.Add(this.modeOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var id = parseResult.GetValue(this.idOption);
        if (string.IsNullOrEmpty(id))
        {
            throw new CliException("id is required");
        }

        var mode = parseResult.GetValue(this.modeOption) switch
        {
            "" or null or "restrict" => BundleApi.BatchDeleteFederatedBundleRequest.Types.Mode.Restrict,
            "delete" => BundleApi.BatchDeleteFederatedBundleRequest.Types.Mode.Delete,
            "dissociate" => BundleApi.BatchDeleteFederatedBundleRequest.Types.Mode.Dissociate,
            var other => throw new CliException($"unsupported mode \"{other}\""),
        };
        var request = new BundleApi.BatchDeleteFederatedBundleRequest { Mode = mode };
        request.TrustDomains.Add(id);
        var response = await new BundleApi.Bundle.BundleClient(channel).BatchDeleteFederatedBundleAsync(request, cancellationToken: cancellationToken);
        var result = response.Results[0];
        if (output.IsJson)
        {
            output.WriteJson(response);
        }

        if (result.Status.Code != (int)StatusCode.OK)
        {
            throw new CliException($"failed to delete federated bundle {GoQuote.Quote(result.TrustDomain)}: {result.Status.Message}");
        }

        if (!output.IsJson)
        {
            await output.Out.WriteLineAsync("bundle deleted.");
        }

        return ExitCodes.Success;
    }

    /// <inheritdoc/>
    protected override string DescribeFailure(RpcException exception) => "failed to delete federated bundle: " + Describe(exception);
}
