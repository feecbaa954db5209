using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Spiffe.Agent.ServerApi.Attestation;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi.Tests.Attestation;

[TestFixture]
public sealed class CertificateSigningRequestsTests
{
    [Test]
    public void Create_WorkloadKey_HasSpireSubjectUriSanAndAValidSignature()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = SpiffeId.Parse("spiffe://example.org/ns/prod/sa/Web_1.v2-x");

        // Act
        var der = CertificateSigningRequests.Create(key, id);

        // Assert
        var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        Assert.That(ReadSubject(request.SubjectName), Is.EqualTo(new[] { ("2.5.4.6", "US"), ("2.5.4.10", "SPIRE") }));
        Assert.That(request.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        var san = request.CertificateExtensions.Single(e => e.Oid!.Value == "2.5.29.17");
        Assert.That(san.Critical, Is.False);
        var uri = Encoding.ASCII.GetBytes(id.ToString());
        Assert.That(san.RawData, Is.EqualTo(new byte[] { 0x30, (byte)(uri.Length + 2), 0x86, (byte)uri.Length }.Concat(uri)));
    }

    [Test]
    public void Create_AgentKey_HasNoSubjectAlternativeName()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var request = CertificateRequest.LoadSigningRequest(CertificateSigningRequests.Create(key, null), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);

        // Assert
        Assert.That(request.CertificateExtensions, Is.Empty);
    }

    [Test]
    public void Create_P384Key_IsSignedWithEcdsaSha384()
    {
        // Arrange
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        // Act
        var der = CertificateSigningRequests.Create(key, SpiffeId.Parse("spiffe://example.org/web"));

        // Assert
        Assert.That(SignatureAlgorithm(der), Is.EqualTo("1.2.840.10045.4.3.3"));
    }

    [Test]
    public void Create_RsaKey_IsSignedWithRsaSha256()
    {
        // Arrange
        using var key = RSA.Create(2048);

        // Act
        var der = CertificateSigningRequests.Create(key, SpiffeId.Parse("spiffe://example.org/web"));

        // Assert
        Assert.That(SignatureAlgorithm(der), Is.EqualTo("1.2.840.113549.1.1.11"));
        Assert.DoesNotThrow(() => CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions));
    }

    private static List<(string Oid, string Value)> ReadSubject(X500DistinguishedName name)
    {
        var result = new List<(string, string)>();
        var rdns = new AsnReader(name.RawData, AsnEncodingRules.DER).ReadSequence();
        while (rdns.HasData)
        {
            var attribute = rdns.ReadSetOf().ReadSequence();
            result.Add((attribute.ReadObjectIdentifier(), attribute.ReadCharacterString(UniversalTagNumber.PrintableString)));
        }

        return result;
    }

    private static string SignatureAlgorithm(byte[] csr)
    {
        var request = new AsnReader(csr, AsnEncodingRules.DER).ReadSequence();
        request.ReadEncodedValue();
        return request.ReadSequence().ReadObjectIdentifier();
    }
}
