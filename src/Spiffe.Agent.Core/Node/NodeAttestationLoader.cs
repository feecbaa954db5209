using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Agent.Core.Server;

namespace Spiffe.Agent.Core.Node;

/// <summary>Builds the node attestation parameters from the options: a join token wins over x509pop, as in SPIRE.</summary>
internal static class NodeAttestationLoader
{
    /// <summary>Returns the configured method, or null when none is configured.</summary>
    /// <exception cref="InvalidDataException">The x509pop files cannot be read or do not match.</exception>
    public static NodeAttestationParameters? Load(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.JoinToken))
        {
            return new JoinTokenAttestation(options.JoinToken);
        }

        if (string.IsNullOrEmpty(options.X509PopCertificatePath) || string.IsNullOrEmpty(options.X509PopPrivateKeyPath))
        {
            return null;
        }

        try
        {
            var chain = new X509Certificate2Collection();
            chain.ImportFromPemFile(options.X509PopCertificatePath);
            if (!string.IsNullOrEmpty(options.X509PopIntermediatesPath))
            {
                chain.ImportFromPemFile(options.X509PopIntermediatesPath);
            }

            if (chain.Count == 0)
            {
                throw new InvalidDataException($"{options.X509PopCertificatePath} holds no certificate");
            }

            var keyPem = File.ReadAllText(options.X509PopPrivateKeyPath);
            AsymmetricAlgorithm key = chain[0].GetECDsaPublicKey() is { } ecPublic
                ? ImportEcKey(keyPem, ecPublic)
                : ImportRsaKey(keyPem, chain[0]);
            return new X509PopAttestation([.. chain], key);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            throw new InvalidDataException("cannot load the x509pop certificate or key: " + ex.Message, ex);
        }
    }

    private static ECDsa ImportEcKey(string pem, ECDsa publicKey)
    {
        using (publicKey)
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey.ExportSubjectPublicKeyInfo()))
            {
                key.Dispose();
                throw new InvalidDataException("the x509pop private key does not match the certificate");
            }

            return key;
        }
    }

    private static RSA ImportRsaKey(string pem, X509Certificate2 leaf)
    {
        using var publicKey = leaf.GetRSAPublicKey()
            ?? throw new InvalidDataException("the x509pop certificate key must be EC or RSA");
        var key = RSA.Create();
        key.ImportFromPem(pem);
        if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            throw new InvalidDataException("the x509pop private key does not match the certificate");
        }

        return key;
    }
}
