using Grpc.Net.Client;

namespace Spiffe.Agent.Benchmarks;

/// <summary>
/// Runs one call shape with N concurrent clients for a fixed time. Each client has its own channel (its own
/// connection), as separate workloads would; every call's latency is recorded.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(string scenario, string socketPath, int clients, TimeSpan warmup, TimeSpan duration, Func<GrpcChannel, Task> call)
    {
        var channels = Enumerable.Range(0, clients).Select(_ => UdsChannel.Create(socketPath)).ToArray();
        try
        {
            await RunForAsync(channels, warmup, call, record: null);
            var latencies = new List<long>[clients];
            for (var i = 0; i < clients; i++)
            {
                latencies[i] = new List<long>(4096);
            }

            var failures = new long[clients];
            var started = TimeProvider.System.GetTimestamp();
            await RunForAsync(channels, duration, call, (client, ticks, ok) =>
            {
                if (ok)
                {
                    latencies[client].Add(ticks);
                }
                else
                {
                    failures[client]++;
                }
            });
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            var all = latencies.SelectMany(l => l).Order().ToArray();
            return new LoadResult(scenario, clients, all.Length, failures.Sum(), elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static async Task RunForAsync(GrpcChannel[] channels, TimeSpan duration, Func<GrpcChannel, Task> call, Action<int, long, bool>? record)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
        await Task.WhenAll(channels.Select((channel, index) => Task.Run(async () =>
        {
            while (TimeProvider.System.GetTimestamp() < deadline)
            {
                var before = TimeProvider.System.GetTimestamp();
                var ok = true;
                try
                {
                    await call(channel);
                }
                catch (Exception ex) when (ex is Grpc.Core.RpcException or IOException or OperationCanceledException)
                {
                    ok = false;
                }

                record?.Invoke(index, TimeProvider.System.GetTimestamp() - before, ok);
            }
        })));
    }

    private static double Percentile(long[] sortedTicks, double percentile)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = Math.Min(sortedTicks.Length - 1, (int)Math.Ceiling(percentile * sortedTicks.Length) - 1);
        return sortedTicks[Math.Max(0, index)] * 1000.0 / TimeProvider.System.TimestampFrequency;
    }
}
