using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Agent.Endpoints.Admin;
using Spiffe.Agent.Endpoints.Hosting;

namespace Spiffe.Agent.Commands;

/// <summary>The flag every <c>task</c> verb shares: <c>-socketPath</c>, the agent's admin socket.</summary>
internal sealed class AdminClientOptions
{
    private readonly Option<string> _socketPath = new("-socketPath", "--socketPath")
    {
        Description = $"Path to the agent's admin socket (default {AdminEndpointOptions.DefaultSocketPath})",
        DefaultValueFactory = _ => AdminEndpointOptions.DefaultSocketPath,
    };

    /// <summary>Adds the flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_socketPath);
    }

    /// <summary>A channel to the admin socket.</summary>
    public GrpcChannel CreateChannel(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return UnixSocketChannel.Create(Path.GetFullPath(parseResult.GetValue(_socketPath)!));
    }

    /// <summary>The text after <c>Error: </c> for a failed admin call.</summary>
    public static string Describe(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"rpc error: code = {exception.StatusCode} desc = {exception.Status.Detail}";
    }
}
