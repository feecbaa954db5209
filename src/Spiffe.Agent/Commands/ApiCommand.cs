using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>api</c>: the Workload API client verbs (<c>fetch</c>, <c>validate</c>, <c>watch</c>).</summary>
internal sealed class ApiCommand : Command
{
    /// <summary>Creates the command with its sub-verbs.</summary>
    public ApiCommand(ApiFetchCommand fetch, ApiValidateCommand validate, ApiWatchCommand watch)
        : base("api", "Workload API client commands")
    {
        Subcommands.Add(fetch);
        Subcommands.Add(validate);
        Subcommands.Add(watch);
    }
}
