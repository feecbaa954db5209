namespace Spiffe.Server.Ca;

/// <summary>What the rotation policy says to do now.</summary>
internal enum RotationStep
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>Create the next generation and publish it in the bundle (it signs nothing yet).</summary>
    PrepareNext,

    /// <summary>Make the prepared generation the signing one.</summary>
    ActivateNext,
}
