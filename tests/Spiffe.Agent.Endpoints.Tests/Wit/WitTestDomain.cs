using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Endpoints.Tests.Wit;

/// <summary>A trust domain with a WIT issuer, and builders for the WIT cache's records.</summary>
internal sealed class WitTestDomain
{
    public WitTestDomain(string name, string keyId = "wit-1")
    {
        TrustDomain = TrustDomain.Parse(name);
        Issuer = new TestWitIssuer(TrustDomain, keyId);
        Bundle = Issuer.CreateWitBundle();
    }

    public TrustDomain TrustDomain { get; }

    public TestWitIssuer Issuer { get; }

    public WitBundle Bundle { get; }

    public SpiffeId Id(string path) => SpiffeId.FromPath(TrustDomain, path);

    /// <summary>An entry for selector <c>unix:uid:1000</c> (plus <c>task:id:&lt;taskId&gt;</c> for a task) and a fresh WIT for it.</summary>
    public WitIdentity Identity(string entryId, string path, string hint = "", string? taskId = null)
    {
        var now = TimeProvider.System.GetUtcNow();
        var id = Id(path);
        Selector[] selectors = taskId is null ? [new Selector("unix", "uid:1000")] : [new Selector("unix", "uid:1000"), TaskSelectors.Id(taskId)];
        var entry = new RegistrationEntry { Id = entryId, SpiffeId = id, Selectors = SelectorSet.Create(selectors), Hint = hint };
        var wit = Issuer.Issue(id, now);
        return new WitIdentity(entry, new WitCredential(entryId, 1, WitSvid.ParseInsecure(wit.Token, now, hint), wit.Key, now, taskId));
    }

    /// <summary>A state where every identity has its WIT.</summary>
    public WitUpdate Update(params WitIdentity[] identities) => Update(identities, []);

    public WitUpdate Update(IReadOnlyList<WitIdentity> identities, IReadOnlyList<WitBundle> federated) => new()
    {
        Identities = identities,
        Entries = identities.Select(i => i.Entry).ToList(),
        Bundles = new WitBundleSet(federated.Prepend(Bundle)),
    };
}
