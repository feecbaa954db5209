using System.CommandLine;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The <c>agent</c> command group.</summary>
internal sealed class AgentCommand : Command
{
    /// <summary>Creates the group.</summary>
    /// <param name="list">The <c>agent list</c> verb.</param>
    /// <param name="show">The <c>agent show</c> verb.</param>
    /// <param name="count">The <c>agent count</c> verb.</param>
    /// <param name="evict">The <c>agent evict</c> verb.</param>
    /// <param name="ban">The <c>agent ban</c> verb.</param>
    public AgentCommand(AgentListCommand list, AgentShowCommand show, AgentCountCommand count, AgentEvictCommand evict, AgentBanCommand ban)
        : base("agent", "List, show, count, evict and ban attested agents")
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(show);
        ArgumentNullException.ThrowIfNull(count);
        ArgumentNullException.ThrowIfNull(evict);
        ArgumentNullException.ThrowIfNull(ban);
        this.Subcommands.Add(list);
        this.Subcommands.Add(show);
        this.Subcommands.Add(count);
        this.Subcommands.Add(evict);
        this.Subcommands.Add(ban);
    }
}
