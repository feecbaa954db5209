using System.Text.Json.Serialization;

namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>The kind of an issued credential, which decides what identifies it.</summary>
internal enum CredentialKind
{
    /// <summary>A JWT (JWT-SVID or WIT), identified by its <c>jti</c>.</summary>
    [JsonStringEnumMemberName("jwt")]
    Jwt,

    /// <summary>An X509-SVID, identified by its serial number (lowercase hex, no leading zeros).</summary>
    [JsonStringEnumMemberName("x509")]
    X509,
}
