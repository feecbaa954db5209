using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Spiffe.Core;
using Spiffe.WorkloadApi;

namespace Spiffe.Sidecar;

/// <summary>
/// Writes the sidecar's files, each atomically: the content goes to a temporary file in the same directory, gets its
/// mode (not subject to the umask) and is flushed to disk, then is renamed over the target. Readers see the old or
/// the new file, never a mix.
/// </summary>
internal sealed class SidecarFiles
{
    private readonly SidecarOptions options;

    public SidecarFiles(SidecarOptions options)
    {
        this.options = options;
    }

    /// <summary>Writes the default SVID's certificates and key and the trust bundle.</summary>
    public void WriteX509(X509Context context)
    {
        var svid = context.DefaultSvid;
        var trustDomain = svid.Id.TrustDomain;
        var intermediates = svid.Certificates.Skip(1).ToList();
        List<X509Certificate2> certificates = [svid.Certificates[0], .. this.options.AddIntermediatesToBundle ? [] : intermediates];
        List<X509Certificate2> bundle = [.. context.Bundles.GetX509BundleForTrustDomain(trustDomain).X509Authorities];
        if (this.options.AddIntermediatesToBundle)
        {
            bundle.AddRange(intermediates);
        }

        if (this.options.IncludeFederatedDomains)
        {
            bundle.AddRange(context.Bundles.Bundles.Where(b => b.TrustDomain != trustDomain).SelectMany(b => b.X509Authorities));
        }

        this.Write(this.options.SvidFileName!, Pem(certificates), this.options.CertFileMode);
        this.Write(this.options.SvidKeyFileName!, svid.PrivateKey.ExportPkcs8PrivateKeyPem() + "\n", this.options.KeyFileMode);
        this.Write(this.options.SvidBundleFileName!, Pem(bundle), this.options.CertFileMode);
    }

    /// <summary>Writes the JWT bundles as a JSON object of trust domain name to base64-encoded JWKS, as spiffe-helper does.</summary>
    public void WriteJwtBundles(JwtBundleSet bundles)
    {
        var json = JsonSerializer.Serialize(bundles.Bundles.ToDictionary(b => b.TrustDomain.Name, b => Convert.ToBase64String(b.Marshal()), StringComparer.Ordinal));
        this.Write(this.options.JwtBundleFileName!, json, this.options.JwtBundleFileMode);
    }

    /// <summary>Writes a JWT-SVID token.</summary>
    public void WriteJwtSvid(JwtSvidFileOptions file, JwtSvid svid) => this.Write(file.FileName, svid.Token, this.options.JwtSvidFileMode);

    private static string Pem(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => PemEncoding.WriteString("CERTIFICATE", c.RawData) + "\n"));

    private void Write(string fileName, string content, UnixFileMode mode)
    {
        Directory.CreateDirectory(this.options.CertDirectory);
        var path = Path.Combine(this.options.CertDirectory, fileName);
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)) + ".tmp");
        try
        {
            var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                streamOptions.UnixCreateMode = SidecarOptions.DefaultSecretFileMode;
            }

            using (var stream = new FileStream(temporary, streamOptions))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, mode);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
