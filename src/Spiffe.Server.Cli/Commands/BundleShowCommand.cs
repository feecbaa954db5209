using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Output;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>bundle show</c>: prints the server's own trust bundle (GetBundle).</summary>
internal sealed class BundleShowCommand : AdminCommand
{
    private readonly Option<string> formatOption = new("-format", "--format")
    {
        Description = "The format to show the bundle (only pretty output format supports this flag). Either \"pem\" or \"spiffe\".",
        DefaultValueFactory = _ => BundlePrinter.Pem,
    };

    /// <summary>Creates the command.</summary>
    public BundleShowCommand()
        : base("show", "Prints server CA bundle to stdout")
    {
        this.Options.Add(this.formatOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var format = BundlePrinter.ValidateFormat(parseResult.GetValue(this.formatOption));
        var bundle = await new BundleApi.Bundle.BundleClient(channel).GetBundleAsync(new BundleApi.GetBundleRequest(), cancellationToken: cancellationToken);
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
}
