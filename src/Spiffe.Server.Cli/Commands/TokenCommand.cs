using System.CommandLine;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The <c>token</c> command group.</summary>
internal sealed class TokenCommand : Command
{
    /// <summary>Creates the group.</summary>
    /// <param name="generate">The <c>token generate</c> verb.</param>
    public TokenCommand(TokenGenerateCommand generate)
        : base("token", "Generate join tokens")
    {
        ArgumentNullException.ThrowIfNull(generate);
        this.Subcommands.Add(generate);
    }
}
