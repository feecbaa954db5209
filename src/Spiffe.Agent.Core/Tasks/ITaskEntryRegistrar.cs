namespace Spiffe.Agent.Core.Tasks;

/// <summary>
/// Creates and deletes task entries on the server through the Entry admin API, authenticated with the agent's admin
/// identity (see <see cref="IAdminSvidSource"/>). Implemented by Spiffe.Agent.ServerApi.
/// </summary>
internal interface ITaskEntryRegistrar
{
    /// <summary>
    /// Creates the entry, parented to this agent (<c>BatchCreateEntry</c>). A similar entry (same parent, SPIFFE ID and
    /// selectors) left behind by an earlier task with the same ID is deleted and the create retried once; the caller
    /// makes sure no active task has this ID.
    /// </summary>
    /// <exception cref="Server.SpireServerException">The call or the item failed (the item's status code and message).</exception>
    Task CreateAsync(TaskEntrySpec entry, CancellationToken cancellationToken);

    /// <summary>Deletes the entry (<c>BatchDeleteEntry</c>); an entry that is already gone is not an error.</summary>
    /// <exception cref="Server.SpireServerException">The call or the item failed.</exception>
    Task DeleteAsync(string entryId, CancellationToken cancellationToken);
}
