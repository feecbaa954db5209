using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Spiffe.Core;
using Spiffe.WorkloadApi;

namespace Spiffe.Agent.Commands;

/// <summary>How <c>api fetch x509</c> and <c>api watch</c> print an X.509 context, and how <c>-write</c> stores it.</summary>
internal static class X509Output
{
    private const UnixFileMode KeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode CertificateMode = KeyMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Prints spire-agent's pretty layout.</summary>
    public static async Task PrintPrettyAsync(TextWriter output, X509Context context, TimeSpan elapsed)
    {
        var count = context.Svids.Count;
        await output.WriteLineAsync($"Received {count} svid{(count == 1 ? string.Empty : "s")} after {GoFormat.Duration(elapsed)}");
        await output.WriteLineAsync();
        foreach (var svid in context.Svids)
        {
            await output.WriteLineAsync($"SPIFFE ID:\t\t{svid.Id}");
            if (svid.Hint.Length > 0)
            {
                await output.WriteLineAsync($"Hint:\t\t\t{svid.Hint}");
            }

            await output.WriteLineAsync($"SVID Valid After:\t{GoFormat.Time(svid.Certificates[0].NotBefore)}");
            await output.WriteLineAsync($"SVID Valid Until:\t{GoFormat.Time(svid.Certificates[0].NotAfter)}");
            for (var i = 1; i < svid.Certificates.Count; i++)
            {
                await output.WriteLineAsync($"Intermediate #{i} Valid After:\t{GoFormat.Time(svid.Certificates[i].NotBefore)}");
                await output.WriteLineAsync($"Intermediate #{i} Valid Until:\t{GoFormat.Time(svid.Certificates[i].NotAfter)}");
            }

            var authorities = OwnBundle(context, svid)?.X509Authorities ?? [];
            for (var i = 0; i < authorities.Count; i++)
            {
                await output.WriteLineAsync($"CA #{i + 1} Valid After:\t{GoFormat.Time(authorities[i].NotBefore)}");
                await output.WriteLineAsync($"CA #{i + 1} Valid Until:\t{GoFormat.Time(authorities[i].NotAfter)}");
            }

            foreach (var federated in FederatedBundles(context, svid))
            {
                await output.WriteLineAsync($"[{federated.TrustDomain.IdString}]");
                for (var i = 0; i < federated.X509Authorities.Count; i++)
                {
                    await output.WriteLineAsync($"CA #{i + 1} Valid After:\t{GoFormat.Time(federated.X509Authorities[i].NotBefore)}");
                    await output.WriteLineAsync($"CA #{i + 1} Valid Until:\t{GoFormat.Time(federated.X509Authorities[i].NotAfter)}");
                }
            }

            await output.WriteLineAsync();
        }
    }

    /// <summary>Prints the context as the <c>X509SVIDResponse</c> JSON (base64 DER values, as protojson does).</summary>
    public static async Task PrintJsonAsync(TextWriter output, X509Context context)
    {
        var svids = context.Svids.Select(svid =>
        {
            var (certificates, key) = svid.Marshal();
            return new Dictionary<string, object>
            {
                ["spiffe_id"] = svid.Id.ToString(),
                ["x509_svid"] = Convert.ToBase64String(certificates),
                ["x509_svid_key"] = Convert.ToBase64String(key),
                ["bundle"] = Convert.ToBase64String(OwnBundle(context, svid)?.Marshal() ?? []),
                ["hint"] = svid.Hint,
            };
        }).ToList();
        var federated = context.Svids.Count == 0
            ? []
            : FederatedBundles(context, context.Svids[0]).ToDictionary(b => b.TrustDomain.IdString, b => Convert.ToBase64String(b.Marshal()));
        await output.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, object> { ["svids"] = svids, ["federated_bundles"] = federated }));
    }

    /// <summary>
    /// Writes <c>svid.&lt;i&gt;.pem</c>, <c>svid.&lt;i&gt;.key</c> (0600), <c>bundle.&lt;i&gt;.pem</c> and
    /// <c>federated_bundle.&lt;i&gt;.&lt;j&gt;.pem</c> into <paramref name="directory"/>, reporting each file.
    /// </summary>
    public static async Task WriteAsync(TextWriter output, X509Context context, string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("-write needs Unix file modes");
        }

        for (var i = 0; i < context.Svids.Count; i++)
        {
            var svid = context.Svids[i];
            var svidPath = Path.Combine(directory, $"svid.{i}.pem");
            var keyPath = Path.Combine(directory, $"svid.{i}.key");
            var bundlePath = Path.Combine(directory, $"bundle.{i}.pem");
            await output.WriteLineAsync($"Writing SVID #{i} to file {svidPath}.");
            await WriteFileAsync(svidPath, ToPem(svid.Certificates), CertificateMode);
            await output.WriteLineAsync($"Writing key #{i} to file {keyPath}.");
            await WriteFileAsync(keyPath, ToPem(svid.PrivateKey), KeyMode);
            await output.WriteLineAsync($"Writing bundle #{i} to file {bundlePath}.");
            await WriteFileAsync(bundlePath, ToPem(OwnBundle(context, svid)?.X509Authorities ?? []), CertificateMode);
            var j = 0;
            foreach (var federated in FederatedBundles(context, svid))
            {
                var federatedPath = Path.Combine(directory, $"federated_bundle.{i}.{j}.pem");
                await output.WriteLineAsync($"Writing federated bundle #{j} for trust domain {federated.TrustDomain.IdString} to file {federatedPath}.");
                await WriteFileAsync(federatedPath, ToPem(federated.X509Authorities), CertificateMode);
                j++;
            }
        }
    }

    private static X509Bundle? OwnBundle(X509Context context, X509Svid svid) =>
        context.Bundles.TryGetBundle(svid.Id.TrustDomain, out var bundle) ? bundle : null;

    private static IEnumerable<X509Bundle> FederatedBundles(X509Context context, X509Svid svid) =>
        context.Bundles.Bundles.Where(b => b.TrustDomain != svid.Id.TrustDomain);

    private static string ToPem(IEnumerable<X509Certificate2> certificates) =>
        string.Concat(certificates.Select(c => PemEncoding.WriteString("CERTIFICATE", c.RawData) + "\n"));

    private static string ToPem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";

    private static async Task WriteFileAsync(string path, string content, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("-write needs Unix file modes");
        }

        // Replace rather than rewrite in place, so the mode of a new file is right from the start.
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode };
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(content);
    }
}
