using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Spiffe.Core;
using Spiffe.Proto.Spire.Server.Entry.V1;
using Spiffe.Proto.Spire.Server.Svid.V1;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;
using Spiffe.Server.Hosting;
using EntryClient = Spiffe.Proto.Spire.Server.Entry.V1.Entry.EntryClient;
using SvidClient = Spiffe.Proto.Spire.Server.Svid.V1.SVID.SVIDClient;

namespace Spiffe.Server.Benchmarks;

/// <summary>
/// Load run against an in-process <c>spiffe-server</c> over real gRPC/TLS on loopback: BatchNewX509SVID rate and
/// latency for batches of 1, 100 and 500 CSRs compared with raw ECDSA P-256 signing measured in the same run, and a
/// full SyncAuthorizedEntries of 10,000 entries (time and memory across repeated syncs). Prints Markdown.
/// Arguments: <c>--seconds N</c> per measurement (default 10), <c>--entries N</c> (default 10000), <c>--syncs N</c> (default 20).
/// </summary>
internal static class ServerLoad
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Runs every measurement and prints a Markdown report.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var seconds = Argument(args, "--seconds", 10);
        var entryCount = Argument(args, "--entries", 10_000);
        var syncs = Argument(args, "--syncs", 20);
        var directory = Directory.CreateTempSubdirectory("ssrv-bench-").FullName;
        try
        {
            var config = new ServerConfig
            {
                TrustDomain = TrustDomain.Parse("example.org"),
                BindAddress = "127.0.0.1",
                BindPort = 0,
                SocketPath = Path.Combine(directory, "api.sock"),
                DataDir = directory,
                DataStore = new DataStoreConfig(Path.Combine(directory, "datastore.sqlite3")),
                KeyManager = new KeyManagerConfig(KeyManagerKind.Memory, null),
                JoinTokenAttestor = true,
                MaxReceiveMessageSize = 16 * 1024 * 1024,
            };
            await using var host = await ServerHost.CreateAsync(config, new ServerHostOptions { ConfigureLogging = l => l.SetMinimumLevel(LogLevel.Warning) }, CancellationToken.None);
            await host.StartAsync(CancellationToken.None);
            var report = new StringBuilder();
            report.Append(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeName()}; server and client in one process over TLS on loopback; {seconds} s per measurement.\n\n");

            var rawSingle = RawEcdsaRate(TimeSpan.FromSeconds(seconds), 1);
            var rawAll = RawEcdsaRate(TimeSpan.FromSeconds(seconds), Environment.ProcessorCount);
            var rawVerify = RawVerifyRate(TimeSpan.FromSeconds(seconds));
            var anchors = await AnchorsAsync(host);
            var agent = await AttestAsync(host, anchors);
            var entryIds = await CreateEntriesAsync(host.DataStore, agent.Id, "/batch/", 500);

            var signer = (Ca.CredentialSigner)host.Services.GetService(typeof(Ca.CredentialSigner))!;
            var (csrRate, signRate) = DirectRates(signer, TimeSpan.FromSeconds(seconds));
            report.Append("### BatchNewX509SVID (EC P-256 CSRs, P-256 CA)\n\n");
            report.Append(CultureInfo.InvariantCulture, $"In-process, without gRPC: CSR parse+verify {csrRate:N0}/s, X509-SVID minting {signRate:N0}/s (1 thread).\n\n");
            report.Append(CultureInfo.InvariantCulture, $"Raw ECDSA P-256 in the same run: SignHash {rawSingle:N0}/s on 1 thread, {rawAll:N0}/s on {Environment.ProcessorCount} threads; public key import + VerifyData (what checking one CSR costs at minimum) {rawVerify:N0}/s on 1 thread. ");
            report.Append(CultureInfo.InvariantCulture, $"Signing one SVID needs one verify and one sign, so the best possible ratio to raw signing is {1 / (1 + (rawSingle / rawVerify)):N2}.\n\n");
            report.Append("| batch | calls | SVIDs/s | p50 call latency | p99 call latency | ratio to raw (1 thread) | ratio to raw (all cores) |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            using (var channel = agent.Channel())
            {
                var client = new SvidClient(channel);
                foreach (var batch in new[] { 1, 100, 500 })
                {
                    var request = new BatchNewX509SVIDRequest();
                    request.Params.AddRange(entryIds.Take(batch).Select(id => new NewX509SVIDParams { EntryId = id, Csr = ByteString.CopyFrom(BenchAgent.NewCsr()) }));
                    var (calls, rate, p50, p99) = await SignLoadAsync(client, request, TimeSpan.FromSeconds(seconds));
                    report.Append(CultureInfo.InvariantCulture, $"| {batch} | {calls:N0} | {rate:N0} | {p50:N1} ms | {p99:N1} ms | {rate / rawSingle:N2} | {rate / rawAll:N2} |\n");
                }
            }

            report.Append(CultureInfo.InvariantCulture, $"\n### SyncAuthorizedEntries ({entryCount:N0} entries for one agent)\n\n");
            var syncAgent = await AttestAsync(host, anchors);
            var created = Stopwatch.StartNew();
            await CreateEntriesAsync(host.DataStore, syncAgent.Id, "/sync/", entryCount);
            created.Stop();
            using (var channel = syncAgent.Channel())
            {
                var client = new EntryClient(channel);
                var baseline = Heap();
                var first = await FullSyncAsync(client, entryCount);
                var afterFirst = Heap();
                var times = new List<double> { first };
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                for (var i = 1; i < syncs; i++)
                {
                    times.Add(await FullSyncAsync(client, entryCount));
                }

                var allocatedPerSync = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)Math.Max(1, syncs - 1);
                var afterAll = Heap();
                var legacy = Stopwatch.StartNew();
                var all = await client.GetAuthorizedEntriesAsync(new GetAuthorizedEntriesRequest());
                legacy.Stop();
                times.Sort();
                report.Append("| measurement | value |\n|---|---:|\n");
                report.Append(CultureInfo.InvariantCulture, $"| creating {entryCount:N0} entries (one durable transaction each) | {created.Elapsed.TotalSeconds:N1} s |\n");
                report.Append(CultureInfo.InvariantCulture, $"| first full sync (revisions + all entries, pages of 500) | {first:N0} ms |\n");
                report.Append(CultureInfo.InvariantCulture, $"| full sync, median of {syncs} | {times[times.Count / 2]:N0} ms |\n");
                report.Append(CultureInfo.InvariantCulture, $"| full sync, slowest of {syncs} | {times[^1]:N0} ms |\n");
                report.Append(CultureInfo.InvariantCulture, $"| GetAuthorizedEntries (one response, {all.Entries.Count:N0} entries) | {legacy.Elapsed.TotalMilliseconds:N0} ms |\n");
                report.Append(CultureInfo.InvariantCulture, $"| managed heap after GC: before first sync / after first / after {syncs} | {baseline / 1048576.0:N1} / {afterFirst / 1048576.0:N1} / {afterAll / 1048576.0:N1} MiB |\n");
                report.Append(CultureInfo.InvariantCulture, $"| allocated per full sync (server + client, same process) | {allocatedPerSync / 1048576.0:N1} MiB |\n");
                report.Append(CultureInfo.InvariantCulture, $"| process working set at the end | {Environment.WorkingSet / 1048576.0:N0} MiB |\n");
            }

            await host.StopAsync(CancellationToken.None);
            Console.Out.Write(report.ToString());
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int Argument(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], Invariant) : fallback;
    }

    private static string RuntimeName() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    private static double RawEcdsaRate(TimeSpan duration, int threads)
    {
        var counts = new long[threads];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var digest = SHA256.HashData("benchmark"u8);
            long n = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                key.SignHash(digest);
                n++;
            }

            counts[t] = n;
        });
        return counts.Sum() / duration.TotalSeconds;
    }

    private static (double CsrRate, double SignRate) DirectRates(Ca.CredentialSigner signer, TimeSpan duration)
    {
        var csr = BenchAgent.NewCsr();
        var id = SpiffeId.Parse("spiffe://example.org/direct");
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long parsed = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            Ca.CredentialSigner.PublicKeyFromCsr(csr);
            parsed++;
        }

        var key = Ca.CredentialSigner.PublicKeyFromCsr(csr);
        stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long minted = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            signer.SignX509Svid(key, id, ["direct.example.org"], TimeSpan.Zero);
            minted++;
        }

        return (parsed / duration.TotalSeconds, minted / duration.TotalSeconds);
    }

    private static double RawVerifyRate(TimeSpan duration)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = key.ExportSubjectPublicKeyInfo();
        var data = new byte[300];
        var signature = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long n = 0;
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            using var verifier = ECDsa.Create();
            verifier.ImportSubjectPublicKeyInfo(spki, out _);
            verifier.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            n++;
        }

        return n / duration.TotalSeconds;
    }

    private static async Task<X509Certificate2Collection> AnchorsAsync(ServerHost host)
    {
        var bundle = await host.DataStore.GetBundleAsync(host.Config.TrustDomain, CancellationToken.None)
            ?? throw new InvalidOperationException("no bundle");
        return [.. bundle.X509Authorities.Select(a => X509CertificateLoader.LoadCertificate(a.Der))];
    }

    private static async Task<BenchAgent> AttestAsync(ServerHost host, X509Certificate2Collection anchors)
    {
        var token = Guid.NewGuid().ToString();
        await host.DataStore.CreateJoinTokenAsync(new JoinToken(token, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds() + 600), CancellationToken.None);
        return await BenchAgent.AttestAsync(host.AgentApiPort, anchors, token);
    }

    private static async Task<List<string>> CreateEntriesAsync(IDataStore store, SpiffeId parent, string prefix, int count)
    {
        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var entry = await store.CreateEntryAsync(
                new RegistrationEntry
                {
                    SpiffeId = SpiffeId.FromPath(parent.TrustDomain, prefix + i.ToString(Invariant)),
                    ParentId = parent,
                    Selectors = [new DataStore.Selector("unix", "uid:" + i.ToString(Invariant)), new DataStore.Selector("k8s", "ns:bench")],
                    DnsNames = ["w" + i.ToString(Invariant) + ".example.org"],
                },
                CancellationToken.None);
            ids.Add(entry.Id);
        }

        return ids;
    }

    private static async Task<(int Calls, double Rate, double P50, double P99)> SignLoadAsync(SvidClient client, BatchNewX509SVIDRequest request, TimeSpan duration)
    {
        for (var i = 0; i < 3; i++)
        {
            await client.BatchNewX509SVIDAsync(request);
        }

        var latencies = new List<double>();
        var signed = 0L;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < stopAt || latencies.Count < 20)
        {
            var t0 = Stopwatch.GetTimestamp();
            var response = await client.BatchNewX509SVIDAsync(request);
            latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            signed += response.Results.Count(r => r.Status.Code == 0);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        latencies.Sort();
        return (latencies.Count, signed / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static readonly Proto.Spire.Types.EntryMask AgentMask = new()
    {
        SpiffeId = true,
        Selectors = true,
        FederatesWith = true,
        Admin = true,
        Downstream = true,
        RevisionNumber = true,
        StoreSvid = true,
        Hint = true,
        CreatedAt = true,
        AdditionalAttributes = true,
    };

    private static async Task<double> FullSyncAsync(EntryClient client, int expected)
    {
        var watch = Stopwatch.StartNew();
        using var call = client.SyncAuthorizedEntries();
        await call.RequestStream.WriteAsync(new SyncAuthorizedEntriesRequest { OutputMask = AgentMask });
        var ids = new List<string>();
        var pageSize = 0;
        do
        {
            if (!await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                throw new InvalidOperationException("sync ended early");
            }

            pageSize = Math.Max(pageSize, call.ResponseStream.Current.EntryRevisions.Count);
            ids.AddRange(call.ResponseStream.Current.EntryRevisions.Select(r => r.Id));
        }
        while (call.ResponseStream.Current.More);

        var received = 0;
        foreach (var batch in ids.Order(StringComparer.Ordinal).Chunk(Math.Max(1, pageSize)))
        {
            var request = new SyncAuthorizedEntriesRequest();
            request.Ids.AddRange(batch);
            await call.RequestStream.WriteAsync(request);
            do
            {
                if (!await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    throw new InvalidOperationException("sync ended early");
                }

                received += call.ResponseStream.Current.Entries.Count;
            }
            while (call.ResponseStream.Current.More);
        }

        await call.RequestStream.CompleteAsync();
        watch.Stop();
        if (received != expected)
        {
            throw new InvalidOperationException($"expected {expected} entries, got {received}");
        }

        return watch.Elapsed.TotalMilliseconds;
    }
}
