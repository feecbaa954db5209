using System.CommandLine;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The <c>entry</c> command group.</summary>
internal sealed class EntryCommand : Command
{
    /// <summary>Creates the group.</summary>
    /// <param name="create">The <c>entry create</c> verb.</param>
    /// <param name="show">The <c>entry show</c> verb.</param>
    /// <param name="update">The <c>entry update</c> verb.</param>
    /// <param name="delete">The <c>entry delete</c> verb.</param>
    /// <param name="count">The <c>entry count</c> verb.</param>
    public EntryCommand(EntryCreateCommand create, EntryShowCommand show, EntryUpdateCommand update, EntryDeleteCommand delete, EntryCountCommand count)
        : base("entry", "Create, show, update, delete and count registration entries")
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(show);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(delete);
        ArgumentNullException.ThrowIfNull(count);
        this.Subcommands.Add(create);
        this.Subcommands.Add(show);
        this.Subcommands.Add(update);
        this.Subcommands.Add(delete);
        this.Subcommands.Add(count);
    }
}
