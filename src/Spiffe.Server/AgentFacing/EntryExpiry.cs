using Spiffe.Server.DataStore;

namespace Spiffe.Server.AgentFacing;

/// <summary>An entry's <c>expires_at</c> as the latest expiry of any SVID signed for it.</summary>
internal static class EntryExpiry
{
    /// <summary>The entry's expiry, or null when it never expires.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The cap for SVID lifetimes.</returns>
    public static DateTimeOffset? Of(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ExpiresAt > 0 ? DateTimeOffset.FromUnixTimeSeconds(entry.ExpiresAt) : null;
    }
}
