using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.WorkloadApi.Tests.Infrastructure;

/// <summary>Trust domains, certificate authorities, JWT signers and IDs shared by the tests; times are the real clock's.</summary>
internal static class TestIdentities
{
    public static readonly TrustDomain Domain = TrustDomain.Parse("example.org");
    public static readonly TrustDomain FederatedDomain = TrustDomain.Parse("partner.test");
    public static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");
    public static readonly SpiffeId Db = SpiffeId.Parse("spiffe://example.org/db");
    public static readonly SpiffeId Partner = SpiffeId.Parse("spiffe://partner.test/api");

    private static readonly Lazy<TestCa> LazyCa = new(() => TestCa.CreateRoot(Domain, TimeProvider.System.GetUtcNow()));
    private static readonly Lazy<TestCa> LazyFederatedCa = new(() => TestCa.CreateRoot(FederatedDomain, TimeProvider.System.GetUtcNow()));
    private static readonly Lazy<TestJwtSigner> LazySigner = new(() => new TestJwtSigner(Domain, "key-1"));

    public static TestCa Ca => LazyCa.Value;

    public static TestCa FederatedCa => LazyFederatedCa.Value;

    public static TestJwtSigner Signer => LazySigner.Value;

    public static string Token(SpiffeId subject, params string[] audience) =>
        Signer.CreateToken(subject, audience, TimeProvider.System.GetUtcNow().AddMinutes(5), TimeProvider.System.GetUtcNow());
}
