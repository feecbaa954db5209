namespace Spiffe.Agent.Core.Tasks;

/// <summary>Answers whether a credential is on the revocation list (local task ends and those relayed by the server). Lock-free.</summary>
internal interface IRevocationChecker
{
    /// <summary>Whether a JWT with this <c>jti</c> is revoked.</summary>
    bool IsRevokedJti(string jti);

    /// <summary>Whether an X.509 certificate with this serial number (hex, any form) is revoked.</summary>
    bool IsRevokedSerial(string serialNumber);
}
