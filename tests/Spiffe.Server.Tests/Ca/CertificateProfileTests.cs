using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;
using Spiffe.Server.Ca;
using Spiffe.Server.Config;
using Spiffe.Server.Tests.Infrastructure;

namespace Spiffe.Server.Tests.Ca;

[TestFixture]
public sealed class CertificateProfileTests
{
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");

    public static IEnumerable<TestCaseData> KeyMatrix()
    {
        foreach (var caKey in new[] { "EcP256", "EcP384", "Rsa2048" })
        {
            foreach (var leafRsa in new[] { false, true })
            {
                foreach (var purpose in new[] { "sslclient", "sslserver" })
                {
                    yield return new TestCaseData(caKey, leafRsa, purpose);
                }
            }
        }
    }

    [TestCaseSource(nameof(KeyMatrix))]
    public async Task SignX509Svid_EveryCaAndLeafKeyType_PassesOpenSslStrictVerify(string caKeyType, bool leafRsa, string purpose)
    {
        // Arrange
        using var ca = await CaHarness.StartAsync(c => c with { CaKeyType = Enum.Parse<KeyType>(caKeyType) });
        using AsymmetricAlgorithm key = leafRsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, ["web.example.org"], TimeSpan.Zero);
        var roots = (await ca.BundleAsync()).X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Der));
        var result = await OpenSsl.VerifyAsync(svid.Leaf, [], roots, purpose, ca.Clock.GetUtcNow());

        // Assert
        Assert.That(result.ExitCode, Is.Zero, result.Output);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task SignX509Svid_Leaf_HasExactlyTheX509SvidProfile(bool leafRsa)
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();
        using AsymmetricAlgorithm key = leafRsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = ca.Clock.GetUtcNow();

        // Act
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, ["web.example.org"], TimeSpan.FromMinutes(2));
        var leaf = svid.Leaf;

        // Assert
        var basic = leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        var ski = leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        var issuerSki = ca.Manager.ActiveX509CA.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var serial = leaf.SerialNumberBytes.ToArray();
        var expectedUsage = X509KeyUsageFlags.DigitalSignature | (leafRsa ? X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.KeyAgreement);
        Assert.Multiple(() =>
        {
            Assert.That(SanEncoder.ReadUris(leaf), Is.EqualTo(new[] { "spiffe://example.org/web" }));
            Assert.That(leaf.Extensions["2.5.29.17"]!.Critical, Is.False);
            Assert.That((basic.Critical, basic.CertificateAuthority, basic.HasPathLengthConstraint), Is.EqualTo((true, false, false)));
            Assert.That((usage.Critical, usage.KeyUsages), Is.EqualTo((true, expectedUsage)));
            Assert.That(eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value), Is.EquivalentTo(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }));
            Assert.That(ski.Critical, Is.False);
            Assert.That(aki.Critical, Is.False);
            Assert.That(aki.KeyIdentifier!.Value.ToArray(), Is.EqualTo(Convert.FromHexString(issuerSki.SubjectKeyIdentifier!)));
            Assert.That(leaf.Extensions.Count, Is.EqualTo(6));
            Assert.That(new BigInteger(serial, isUnsigned: false, isBigEndian: true), Is.Positive);
            Assert.That(serial.Length, Is.LessThanOrEqualTo(20));
            Assert.That(leaf.NotBefore.ToUniversalTime(), Is.EqualTo(now.UtcDateTime.AddSeconds(-10)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(leaf.NotAfter.ToUniversalTime(), Is.EqualTo(now.UtcDateTime.AddMinutes(2)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(leaf.SubjectName.Name, Does.Match("^x500UniqueIdentifier=[0-9a-f]{32}, O=SPIRE, C=US$"), "DER order C, O, x500UniqueIdentifier as SPIRE; .NET shows it reversed");
            Assert.That(leaf.Version, Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Initialize_SelfSignedCa_HasTheSigningCertificateProfile()
    {
        // Arrange
        using var ca = await CaHarness.StartAsync();

        // Act
        var certificate = ca.Manager.ActiveX509CA.Certificate;

        // Assert
        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        var san = certificate.Extensions["2.5.29.17"]!;
        Assert.Multiple(() =>
        {
            Assert.That((basic.Critical, basic.CertificateAuthority), Is.EqualTo((true, true)));
            Assert.That((usage.Critical, usage.KeyUsages), Is.EqualTo((true, X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)));
            Assert.That(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Count(), Is.EqualTo(1));
            Assert.That(san.RawData, Is.EqualTo(ExpectedSan("spiffe://example.org")));
            Assert.That(certificate.SubjectName.RawData, Is.EqualTo(certificate.IssuerName.RawData));
            Assert.That(certificate.SubjectName.Name, Does.StartWith("C=US, O=SPIFFE"));
        });
    }

    [Test]
    public async Task SignX509Svid_UpstreamAuthority_ChainsLeafToServerCaToUpstreamRoot()
    {
        // Arrange
        using var files = new TempDirectory();
        var now = TimeProvider.System.GetUtcNow();
        var root = PopCa.CreateRoot("upstream-root", now);
        var upstream = UpstreamAuthority.Load(new UpstreamAuthorityConfig(root.WriteKeyPem(files.File("up.key")), root.WritePem(files.File("up.crt")), null));
        using var ca = await CaHarness.StartAsync(upstream: upstream);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, [], TimeSpan.Zero);
        var bundle = await ca.BundleAsync();
        var chain = svid.Chain.Select(X509CertificateLoader.LoadCertificate).ToArray();
        var client = await OpenSsl.VerifyAsync(chain[0], chain[1..], [root.Certificate], "sslclient", ca.Clock.GetUtcNow());
        var server = await OpenSsl.VerifyAsync(chain[0], chain[1..], [root.Certificate], "sslserver", ca.Clock.GetUtcNow());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(chain, Has.Length.EqualTo(2));
            Assert.That(chain[1].Thumbprint, Is.EqualTo(ca.Manager.ActiveX509CA.Certificate.Thumbprint));
            Assert.That(chain[1].IssuerName.RawData, Is.EqualTo(root.Certificate.SubjectName.RawData));
            Assert.That(bundle.X509Authorities.Select(a => a.Der), Is.EqualTo(new[] { root.Certificate.RawData }));
            Assert.That(client.ExitCode, Is.Zero, client.Output);
            Assert.That(server.ExitCode, Is.Zero, server.Output);
        });
    }

    [Test]
    public async Task SignX509Svid_UpstreamIntermediate_IncludesItInTheChain()
    {
        // Arrange
        using var files = new TempDirectory();
        var now = TimeProvider.System.GetUtcNow();
        var root = PopCa.CreateRoot("upstream-root", now);
        var intermediate = root.IssueIntermediate("upstream-intermediate", now);
        var certPath = files.File("up.crt");
        File.WriteAllText(certPath, intermediate.Certificate.ExportCertificatePem() + "\n" + root.Certificate.ExportCertificatePem() + "\n");
        var upstream = UpstreamAuthority.Load(new UpstreamAuthorityConfig(intermediate.WriteKeyPem(files.File("up.key")), certPath, null));
        using var ca = await CaHarness.StartAsync(upstream: upstream);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // Act
        var svid = ca.Signer.SignX509Svid(new PublicKey(key), Web, [], TimeSpan.Zero);
        var chain = svid.Chain.Select(X509CertificateLoader.LoadCertificate).ToArray();
        var result = await OpenSsl.VerifyAsync(chain[0], chain[1..], [root.Certificate], "sslclient", ca.Clock.GetUtcNow());

        // Assert
        Assert.That(chain.Select(c => c.Thumbprint), Is.EqualTo(new[] { chain[0].Thumbprint, ca.Manager.ActiveX509CA.Certificate.Thumbprint, intermediate.Certificate.Thumbprint }));
        Assert.That(result.ExitCode, Is.Zero, result.Output);
    }

    [Test]
    public void UpstreamAuthority_KeyNotMatchingCertificate_FailsToLoad()
    {
        // Arrange
        using var files = new TempDirectory();
        var now = TimeProvider.System.GetUtcNow();
        var root = PopCa.CreateRoot("upstream-root", now);
        var other = PopCa.CreateRoot("other", now);

        // Act
        var ex = Assert.Throws<InvalidOperationException>(() => UpstreamAuthority.Load(
            new UpstreamAuthorityConfig(other.WriteKeyPem(files.File("k")), root.WritePem(files.File("c")), null)));

        // Assert
        Assert.That(ex!.Message, Does.Contain("the key does not match the certificate"));
    }

    private static byte[] ExpectedSan(string uri)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, uri, new Asn1Tag(TagClass.ContextSpecific, 6));
        }

        return writer.Encode();
    }
}
