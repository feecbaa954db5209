namespace Spiffe.Agent.Core.Tasks;

/// <summary>What identifies a revoked credential.</summary>
internal enum RevokedCredentialKind
{
    /// <summary>A JWT, by its <c>jti</c>.</summary>
    Jwt,

    /// <summary>An X.509 certificate, by its serial number (lowercase hex, no leading zeros).</summary>
    X509,
}
