using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>bundle list</c>: prints every federated bundle (ListFederatedBundles), or one with <c>-id</c> (GetFederatedBundle).</summary>
internal sealed class BundleListCommand : AdminCommand
{
    private readonly Option<string> idOption = new("-id", "--id") { Description = "SPIFFE ID of the trust domain" };

    private readonly Option<string> formatOption = new("-format", "--format")
    {
        Description = "The format to list federated bundles (only pretty output format supports this flag). Either \"pem\" or \"spiffe\".",
        DefaultValueFactory = _ => BundlePrinter.Pem,
    };

    /// <summary>Creates the command.</summary>
    public BundleListCommand()
        : base("list", "Lists federated bundle data")
    {
        this.Options.Add(this.idOption);
        this.Options.Add(this.formatOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var format = BundlePrinter.ValidateFormat(parseResult.GetValue(this.formatOption));
        var client = new BundleApi.Bundle.BundleClient(channel);
        if (parseResult.GetValue(this.idOption) is { Length: > 0 } id)
        {
            var bundle = await client.GetFederatedBundleAsync(new BundleApi.GetFederatedBundleRequest { TrustDomain = id }, cancellationToken: cancellationToken);
            if (output.IsJson)
            {
                output.WriteJson(bundle);
            }
            else
            {
                BundlePrinter.Print(output.Out, bundle, format, header: false);
            }

            return ExitCodes.Success;
        }

        var response = new BundleApi.ListFederatedBundlesResponse();
        var pageToken = string.Empty;
        do
        {
            var page = await client.ListFederatedBundlesAsync(new BundleApi.ListFederatedBundlesRequest { PageToken = pageToken }, cancellationToken: cancellationToken);
            response.Bundles.AddRange(page.Bundles);
            pageToken = page.NextPageToken;
        }
        while (pageToken.Length > 0);

        if (output.IsJson)
        {
            output.WriteJson(response);
            return ExitCodes.Success;
        }

        for (var i = 0; i < response.Bundles.Count; i++)
        {
            if (i != 0)
            {
                await output.Out.WriteLineAsync();
            }

            BundlePrinter.Print(output.Out, response.Bundles[i], format, header: true);
        }

        return ExitCodes.Success;
    }
}
