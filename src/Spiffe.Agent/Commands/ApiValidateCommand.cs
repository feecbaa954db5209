using System.CommandLine;

namespace Spiffe.Agent.Commands;

/// <summary><c>api validate</c>: groups the validation verbs (<c>jwt</c>).</summary>
internal sealed class ApiValidateCommand : Command
{
    /// <summary>Creates the command with its sub-verbs.</summary>
    public ApiValidateCommand(ApiValidateJwtCommand jwt)
        : base("validate", "Validates an SVID through the Workload API")
    {
        Subcommands.Add(jwt);
    }
}
