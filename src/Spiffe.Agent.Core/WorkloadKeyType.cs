namespace Spiffe.Agent.Core;

/// <summary>The key type of the private keys the agent generates for workload X509-SVIDs.</summary>
internal enum WorkloadKeyType
{
    /// <summary>ECDSA on NIST P-256 (SPIRE's default, <c>ec-p256</c>).</summary>
    EcP256,

    /// <summary>ECDSA on NIST P-384 (<c>ec-p384</c>).</summary>
    EcP384,

    /// <summary>RSA with a 2048-bit modulus (<c>rsa-2048</c>).</summary>
    Rsa2048,
}
