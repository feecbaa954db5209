namespace Spiffe.Server.Ca;

/// <summary>Where a CA or signing key is in its life.</summary>
internal enum SlotStatus
{
    /// <summary>Created and published in the bundle; not yet used to sign.</summary>
    Prepared,

    /// <summary>The one that signs now.</summary>
    Active,

    /// <summary>Replaced; still published (and trusted) until it expires.</summary>
    Old,
}
