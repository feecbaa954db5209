using BenchmarkDotNet.Attributes;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.Benchmarks;

/// <summary>The hot-path read of the current SVID, which must not allocate.</summary>
[MemoryDiagnoser]
public class X509SourceGetterBenchmarks
{
    private BenchmarkIdentities identities = null!;
    private X509Source source = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        this.identities = await BenchmarkIdentities.StartAsync();
        this.source = await this.identities.CreateSourceAsync("server");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await this.source.DisposeAsync();
        await this.identities.DisposeAsync();
    }

    [Benchmark]
    public X509Svid GetX509Svid() => this.source.GetX509Svid();
}
