using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace Spiffe.Agent;

/// <summary>The entry point of <c>spiffe-agent</c>: builds the command tree and runs the verb.</summary>
internal static class AgentProgram
{
    /// <summary>Parses <paramref name="args"/>, runs the verb and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var services = new ServiceCollection();
        services.AddAgentCli();
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredService<RootCommand>().Parse(args, CliParser.Configuration).InvokeAsync(CliParser.Invocation);
    }
}
