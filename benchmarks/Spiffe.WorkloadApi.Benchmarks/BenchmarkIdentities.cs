using Spiffe.Core;
using Spiffe.Testing;
using Spiffe.WorkloadApi.Tests.Infrastructure;

namespace Spiffe.WorkloadApi.Benchmarks;

/// <summary>A fake Workload API serving a server and a client SVID (hints "server" and "client") of one trust domain.</summary>
internal sealed class BenchmarkIdentities : IAsyncDisposable
{
    public static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    public static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");

    private BenchmarkIdentities(TestCa ca, FakeWorkloadApi fake, TestX509Svid server, TestX509Svid client)
    {
        this.Ca = ca;
        this.Fake = fake;
        this.Server = server;
        this.Client = client;
    }

    public TestCa Ca { get; }

    public FakeWorkloadApi Fake { get; }

    public TestX509Svid Server { get; }

    public TestX509Svid Client { get; }

    public static async Task<BenchmarkIdentities> StartAsync()
    {
        var ca = TestCa.CreateRoot(ServerId.TrustDomain, TimeProvider.System.GetUtcNow());
        var (server, client) = (ca.IssueX509Svid(ServerId), ca.IssueX509Svid(ClientId));
        var fake = await FakeWorkloadApi.StartAsync();
        fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(ServerId, server, ca, "server"), Messages.X509Svid(ClientId, client, ca, "client")));
        return new BenchmarkIdentities(ca, fake, server, client);
    }

    public Task<X509Source> CreateSourceAsync(string hint) => X509Source.CreateAsync(new X509SourceOptions
    {
        ClientOptions = new WorkloadApiClientOptions { Address = this.Fake.Address },
        SvidPicker = X509SvidPickers.ByHint(hint),
    });

    public ValueTask DisposeAsync() => this.Fake.DisposeAsync();
}
