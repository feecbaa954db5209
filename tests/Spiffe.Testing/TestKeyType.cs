namespace Spiffe.Testing;

/// <summary>Key types <see cref="TestCa"/> and <see cref="TestJwtSigner"/> can generate.</summary>
public enum TestKeyType
{
    /// <summary>ECDSA on NIST P-256.</summary>
    EcP256,

    /// <summary>ECDSA on NIST P-384.</summary>
    EcP384,

    /// <summary>ECDSA on NIST P-521 (not allowed for X509-SVID leaves).</summary>
    EcP521,

    /// <summary>RSA, 2048 bits.</summary>
    Rsa2048,

    /// <summary>RSA, 1024 bits (too small for an X509-SVID leaf).</summary>
    Rsa1024,
}
