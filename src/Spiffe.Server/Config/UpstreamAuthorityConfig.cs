namespace Spiffe.Server.Config;

/// <summary><c>UpstreamAuthority "disk"</c>: the server CA is an intermediate signed by this key and certificate.</summary>
/// <param name="KeyFilePath">PEM private key of the upstream CA.</param>
/// <param name="CertFilePath">PEM certificate of the upstream CA (its chain to the root may follow).</param>
/// <param name="BundleFilePath">Optional PEM roots to publish instead of the certificate's root.</param>
internal sealed record UpstreamAuthorityConfig(string KeyFilePath, string CertFilePath, string? BundleFilePath);
