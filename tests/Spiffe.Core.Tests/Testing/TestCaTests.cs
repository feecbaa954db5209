using System.Security.Cryptography.X509Certificates;
using Spiffe.Testing;

namespace Spiffe.Core.Tests.Testing;

[TestFixture]
public sealed class TestCaTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");

    [Test]
    public void CreateRoot_Default_FollowsSigningCertificateProfile()
    {
        // Act
        var root = TestCa.CreateRoot(Td, Now).Certificate;

        // Assert
        var basicConstraints = root.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var keyUsage = root.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Multiple(() =>
        {
            Assert.That(X509Rules.ReadUriSans(root, "root"), Is.EqualTo(new[] { "spiffe://example.org" }));
            Assert.That(basicConstraints.CertificateAuthority && basicConstraints.Critical, Is.True);
            Assert.That(keyUsage.Critical, Is.True);
            Assert.That(keyUsage.KeyUsages, Is.EqualTo(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign));
            Assert.That(root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().Critical, Is.False);
            Assert.That(root.Extensions.OfType<X509AuthorityKeyIdentifierExtension>(), Is.Empty);
            Assert.That(root.SubjectName.RawData, Is.EqualTo(root.IssuerName.RawData));
        });
    }

    [Test]
    public void IssueX509Svid_UnderIntermediate_LinksKeyIdentifiersAndCapsValidity()
    {
        // Arrange
        var intermediate = TestCa.CreateRoot(Td, Now).CreateIntermediate(new TestCertificateOptions { NotAfter = Now.AddMinutes(30) });

        // Act
        var material = intermediate.IssueX509Svid(SpiffeId.Parse("spiffe://example.org/web"));

        // Assert
        var leaf = material.Leaf;
        var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        var issuerSki = intermediate.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        var serial = leaf.SerialNumberBytes.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(material.Certificates, Is.EqualTo(new[] { leaf, intermediate.Certificate }));
            Assert.That(aki.Critical, Is.False);
            Assert.That(aki.KeyIdentifier!.Value.ToArray(), Is.EqualTo(issuerSki.SubjectKeyIdentifierBytes.ToArray()));
            Assert.That(new DateTimeOffset(leaf.NotAfter), Is.EqualTo(Now.AddMinutes(30)));
            Assert.That(new DateTimeOffset(leaf.NotBefore), Is.EqualTo(Now.AddSeconds(-10)));
            Assert.That(serial, Has.Length.InRange(1, 20));
            Assert.That(serial[0], Is.InRange(0x01, 0x7F));
            Assert.That(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value),
                Is.EquivalentTo(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }));
        });
    }

    [Test]
    public void CreateIntermediate_TwoLevels_IntermediatesListedFromIssuerUp()
    {
        // Arrange
        var root = TestCa.CreateRoot(Td, Now);
        var first = root.CreateIntermediate();

        // Act
        var second = first.CreateIntermediate();

        // Assert
        Assert.That(second.Intermediates, Is.EqualTo(new[] { second.Certificate, first.Certificate }));
        Assert.That(second.RootCertificate, Is.SameAs(root.Certificate));
        Assert.That(second.CreateX509Bundle().X509Authorities, Is.EqualTo(new[] { root.Certificate }));
    }
}
