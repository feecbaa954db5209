namespace Spiffe.Server.DataStore;

/// <summary>An X.509 root in a bundle.</summary>
/// <param name="Der">DER encoding of the CA certificate.</param>
/// <param name="Tainted">Whether the authority is being retired.</param>
internal sealed record X509Authority(byte[] Der, bool Tainted = false);
