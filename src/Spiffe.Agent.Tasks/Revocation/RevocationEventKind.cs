namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>What a <see cref="RevocationEvent"/> carries.</summary>
internal enum RevocationEventKind
{
    /// <summary>The whole current list; always the first event of a watch.</summary>
    Snapshot,

    /// <summary>Newly revoked credentials.</summary>
    Revoked,
}
