using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>Runs <c>openssl verify -x509_strict</c> on certificates (the checks relying parties make).</summary>
internal static class OpenSsl
{
    /// <summary>
    /// Verifies <paramref name="leaf"/> with <paramref name="intermediates"/> against <paramref name="roots"/> for
    /// <paramref name="purpose"/> (<c>sslclient</c> or <c>sslserver</c>) at <paramref name="at"/>; returns the exit
    /// code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> VerifyAsync(
        X509Certificate2 leaf,
        IEnumerable<X509Certificate2> intermediates,
        IEnumerable<X509Certificate2> roots,
        string purpose,
        DateTimeOffset at)
    {
        using var files = new TempDirectory();
        var leafPath = Write(files.File("leaf.pem"), [leaf]);
        var rootsPath = Write(files.File("roots.pem"), roots);
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "verify", "-x509_strict", "-purpose", purpose, "-attime", at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-CAfile", rootsPath })
        {
            start.ArgumentList.Add(arg);
        }

        var chain = intermediates.ToArray();
        if (chain.Length > 0)
        {
            start.ArgumentList.Add("-untrusted");
            start.ArgumentList.Add(Write(files.File("intermediates.pem"), chain));
        }

        start.ArgumentList.Add(leafPath);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().DefaultTimeout();
        return (process.ExitCode, (await stdout.DefaultTimeout()) + (await stderr.DefaultTimeout()));
    }

    private static string Write(string path, IEnumerable<X509Certificate2> certificates)
    {
        File.WriteAllText(path, string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")));
        return path;
    }
}
