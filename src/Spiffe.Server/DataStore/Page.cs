namespace Spiffe.Server.DataStore;

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items, in a stable order (entries by ID, agents by SPIFFE ID, bundles by trust domain).</param>
/// <param name="NextPageToken">Pass back to get the next page; empty when this is the last page.</param>
internal sealed record Page<T>(IReadOnlyList<T> Items, string NextPageToken);
