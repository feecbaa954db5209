using System.CommandLine;
using Grpc.Net.Client;
using Spiffe.Server.Cli.Input;
using Spiffe.Server.Cli.Output;
using AgentApi = Spiffe.Proto.Spire.Server.Agent.V1;

namespace Spiffe.Server.Cli.Commands;

/// <summary><c>token generate</c>: creates a join token, optionally tied to an extra agent SPIFFE ID (CreateJoinToken).</summary>
internal sealed class TokenGenerateCommand : AdminCommand
{
    private readonly Option<int> ttlOption = new("-ttl", "--ttl") { Description = "Token TTL in seconds", DefaultValueFactory = _ => 600 };

    private readonly Option<string> spiffeIdOption = new("-spiffeID", "--spiffeID") { Description = "Additional SPIFFE ID to assign the token owner (optional)" };

    /// <summary>Creates the command.</summary>
    public TokenGenerateCommand()
        : base("generate", "Generates a join token")
    {
        this.Options.Add(this.ttlOption);
        this.Options.Add(this.spiffeIdOption);
    }

    /// <inheritdoc/>
    protected override async Task<int> RunAsync(ParseResult parseResult, GrpcChannel channel, CommandOutput output, CancellationToken cancellationToken)
    {
        var request = new AgentApi.CreateJoinTokenRequest { Ttl = parseResult.GetValue(this.ttlOption) };
        var spiffeId = parseResult.GetValue(this.spiffeIdOption);
        if (spiffeId is { Length: > 0 })
        {
            request.AgentId = IdParser.ToProto(spiffeId);
        }

        var token = await new AgentApi.Agent.AgentClient(channel).CreateJoinTokenAsync(request, cancellationToken: cancellationToken);
        if (output.IsJson)
        {
            output.WriteJson(token);
            return ExitCodes.Success;
        }

        await output.Out.WriteLineAsync("Token: " + token.Value);
        if (request.AgentId is null)
        {
            await output.Out.WriteLineAsync("Warning: Missing SPIFFE ID.");
        }

        return ExitCodes.Success;
    }
}
