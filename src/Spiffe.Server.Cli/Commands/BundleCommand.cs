using System.CommandLine;

namespace Spiffe.Server.Cli.Commands;

/// <summary>The <c>bundle</c> command group.</summary>
internal sealed class BundleCommand : Command
{
    /// <summary>Creates the group.</summary>
    /// <param name="show">The <c>bundle show</c> verb.</param>
    /// <param name="list">The <c>bundle list</c> verb.</param>
    /// <param name="set">The <c>bundle set</c> verb.</param>
    /// <param name="delete">The <c>bundle delete</c> verb.</param>
    /// <param name="count">The <c>bundle count</c> verb.</param>
    public BundleCommand(BundleShowCommand show, BundleListCommand list, BundleSetCommand set, BundleDeleteCommand delete, BundleCountCommand count)
        : base("bundle", "Show the server bundle; list, set and delete federated bundles")
    {
        ArgumentNullException.ThrowIfNull(show);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(delete);
        ArgumentNullException.ThrowIfNull(count);
        this.Subcommands.Add(show);
        this.Subcommands.Add(list);
        this.Subcommands.Add(set);
        this.Subcommands.Add(delete);
        this.Subcommands.Add(count);
    }
}
