namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>A credential issued to a task: what identifies it and when it expires on its own. Never the credential.</summary>
/// <param name="Kind">JWT or X.509.</param>
/// <param name="Id">The <c>jti</c>, or the serial number normalized by <see cref="NormalizeSerial"/>.</param>
/// <param name="ExpiresAt">The credential's own expiry (<c>exp</c> / <c>notAfter</c>).</param>
internal sealed record IssuedCredential(CredentialKind Kind, string Id, DateTimeOffset ExpiresAt)
{
    /// <summary>A JWT identified by <paramref name="jti"/>.</summary>
    public static IssuedCredential Jwt(string jti, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(jti);
        return new IssuedCredential(CredentialKind.Jwt, jti, expiresAt);
    }

    /// <summary>An X.509 certificate identified by its serial number (hex, any case, optional colons or leading zeros).</summary>
    public static IssuedCredential X509(string serialNumber, DateTimeOffset expiresAt) =>
        new(CredentialKind.X509, NormalizeSerial(serialNumber), expiresAt);

    /// <summary>
    /// Canonical form of a certificate serial number: lowercase hex without separators or leading zeros, so the
    /// same serial matches however it was printed (<c>X509Certificate2.SerialNumber</c> is uppercase and zero-padded).
    /// </summary>
    /// <exception cref="ArgumentException">Not a hex serial number.</exception>
    public static string NormalizeSerial(string serialNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(serialNumber);
        var hex = serialNumber.Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        if (hex.StartsWith("0x", StringComparison.Ordinal))
        {
            hex = hex[2..];
        }

        if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"serial number '{serialNumber}' is not hexadecimal", nameof(serialNumber));
        }

        var trimmed = hex.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
