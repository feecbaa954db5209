using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using BundleApi = Spiffe.Proto.Spire.Server.Bundle.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>bundle set</c>: creates or replaces a federated bundle from a file or stdin (BatchSetFederatedBundle).</summary>
internal sealed class BundleSetCommand : AdminCommand
{
    private readonly StandardInput standardInput;

    private readonly Option<string> idOption = new("-id", "--id") { Description = "SPIFFE ID of the trust domain" };

    private readonly Option<string> pathOption = new("-path", "--path") { Description = "Path to the bundle data" };

    private readonly Option<string> formatOption = new("-format", "--format")
    {
        Description = "The format of the bundle data. Either \"pem\" or \"spiffe\".",
        DefaultValueFactory = _ => BundlePrinter.Pem,
    };

    /// <summary>Creates the command.</summary>
    /// <param name="standardInput">Standard input, read when <c>-path</c> is not given.</param>
    public BundleSetCommand(StandardInput standardInput)
        : base("set", "Creates or updates federated bundle data")
    {
        ArgumentNullException.ThrowIfNull(standardInput);
        this.standardInput = standardInput;
        this.Options.Add(this.idOption);
        this.Options.Add(this.pathOption);
        this.Options.Add(this.formatOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var id = parseResult.GetValue(this.idOption);
        if (string.IsNullOrEmpty(id))
        {
            throw new CliException("id flag is required");
        }

        var format = BundlePrinter.ValidateFormat(parseResult.GetValue(this.formatOption));
        var path = parseResult.GetValue(this.pathOption);
        var data = await InputFile.ReadAsync(string.IsNullOrEmpty(path) ? "-" : path, this.standardInput, cancellationToken);
        var request = new BundleApi.BatchSetFederatedBundleRequest();
        request.Bundle.Add(BundleParser.Parse(data, format, id));
        var response = await new BundleApi.Bundle.BundleClient(channel).BatchSetFederatedBundleAsync(request, cancellationToken: cancellationToken);
        var status = response.Results[0].Status;
        if (output.IsJson)
        {
            output.WriteJson(response);
        }

        if (status.Code != (int)StatusCode.OK)
        {
            throw new CliException("failed to set federated bundle: " + status.Message);
        }

        if (!output.IsJson)
        {
            await output.Out.WriteLineAsync("bundle set.");
        }

        return ExitCodes.Success;
    }

    /// <inheritdoc/>
    protected override string DescribeFailure(RpcException exception) => "failed to set federated bundle: " + Describe(exception);
}
