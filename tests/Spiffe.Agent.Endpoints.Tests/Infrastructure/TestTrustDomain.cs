using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Endpoints.Tests.Infrastructure;

/// <summary>A trust domain with an X.509 CA and a JWT signer, and builders for the cache's records.</summary>
internal sealed class TestTrustDomain
{
    public TestTrustDomain(string name, string keyId = "k1")
    {
        TrustDomain = TrustDomain.Parse(name);
        Ca = TestCa.CreateRoot(TrustDomain, TimeProvider.System.GetUtcNow());
        X509Bundle = Ca.CreateX509Bundle();
        Signer = new TestJwtSigner(TrustDomain, keyId);
        JwtBundle = Signer.CreateJwtBundle();
    }

    public TrustDomain TrustDomain { get; }

    public TestCa Ca { get; }

    public X509Bundle X509Bundle { get; }

    public TestJwtSigner Signer { get; }

    public JwtBundle JwtBundle { get; }

    public SpiffeId Id(string path) => SpiffeId.FromPath(TrustDomain, path);

    public WorkloadIdentity Identity(string entryId, string path, string hint = "", DateTimeOffset? createdAt = null, IReadOnlyList<TrustDomain>? federatesWith = null)
    {
        var id = Id(path);
        var entry = new RegistrationEntry
        {
            Id = entryId,
            SpiffeId = id,
            Selectors = SelectorSet.Create([new Selector("unix", "uid:1000")]),
            Hint = hint,
            CreatedAt = createdAt ?? DateTimeOffset.UnixEpoch,
            FederatesWith = federatesWith ?? [],
        };
        return new WorkloadIdentity(entry, Ca.IssueX509Svid(id).ToX509Svid(hint));
    }

    public WorkloadUpdate Update(IReadOnlyList<WorkloadIdentity> identities, params TestTrustDomain[] federated) => new()
    {
        Identities = identities,
        X509Bundle = X509Bundle,
        JwtBundle = JwtBundle,
        FederatedX509Bundles = new X509BundleSet(federated.Select(f => f.X509Bundle)),
        FederatedJwtBundles = new JwtBundleSet(federated.Select(f => f.JwtBundle)),
    };

    public WorkloadUpdate Update(params WorkloadIdentity[] identities) => Update((IReadOnlyList<WorkloadIdentity>)identities);
}
