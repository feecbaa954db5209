namespace Spiffe.Server.Config;

/// <summary>Key types for the CA, JWT signing keys and the server's own TLS key (config value in parentheses).</summary>
internal enum KeyType
{
    /// <summary>ECDSA P-256 (<c>ec-p256</c>), the default; JWTs use ES256.</summary>
    EcP256,

    /// <summary>ECDSA P-384 (<c>ec-p384</c>); JWTs use ES384.</summary>
    EcP384,

    /// <summary>RSA 2048 (<c>rsa-2048</c>); JWTs use RS256.</summary>
    Rsa2048,

    /// <summary>RSA 4096 (<c>rsa-4096</c>); JWTs use RS256.</summary>
    Rsa4096,
}
