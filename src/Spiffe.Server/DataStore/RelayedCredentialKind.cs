namespace Spiffe.Server.DataStore;

/// <summary>What a relayed revocation names: a token's <c>jti</c> or a certificate's serial number.</summary>
internal enum RelayedCredentialKind
{
    /// <summary>A JWT-SVID or WIT-SVID <c>jti</c>.</summary>
    Jti,

    /// <summary>An X509-SVID serial number (lowercase hex, no separators or leading zeros).</summary>
    X509Serial,
}
