using System.Globalization;

namespace Spiffe.Wimse.Benchmarks;

/// <summary>Latencies of one measured operation, and the throughput of the run that produced them.</summary>
internal sealed class Sample
{
    private readonly double[] _sortedMs;

    public Sample(string name, int clients, IReadOnlyCollection<double> latenciesMs, TimeSpan elapsed)
    {
        Name = name;
        Clients = clients;
        _sortedMs = [.. latenciesMs.Order()];
        Throughput = latenciesMs.Count / elapsed.TotalSeconds;
    }

    public string Name { get; }

    public int Clients { get; }

    public int Count => _sortedMs.Length;

    public double Throughput { get; }

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    public double MeanMs => _sortedMs.Average();

    public static string Ms(double value) => value < 1 ? value.ToString("0.000", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="operation"/> <paramref name="count"/> times per client after <paramref name="warmUp"/> unmeasured runs.</summary>
    public static async Task<Sample> MeasureAsync(string name, int clients, int warmUp, int count, Func<int, Task> operation)
    {
        for (var i = 0; i < warmUp; i++)
        {
            await operation(i);
        }

        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var started = TimeProvider.System.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                var start = TimeProvider.System.GetTimestamp();
                await operation((client * count) + i + warmUp);
                latencies.Add(TimeProvider.System.GetElapsedTime(start).TotalMilliseconds);
            }
        })));
        return new Sample(name, clients, latencies, TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>Like <see cref="MeasureAsync"/> for a synchronous operation on one thread.</summary>
    public static Sample Measure(string name, int warmUp, int count, Action<int> operation)
    {
        for (var i = 0; i < warmUp; i++)
        {
            operation(i);
        }

        var latencies = new List<double>(count);
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var start = TimeProvider.System.GetTimestamp();
            operation(i + warmUp);
            latencies.Add(TimeProvider.System.GetElapsedTime(start).TotalMilliseconds);
        }

        return new Sample(name, 1, latencies, TimeProvider.System.GetElapsedTime(started));
    }

    private double Percentile(double fraction) => _sortedMs[Math.Min(_sortedMs.Length - 1, (int)Math.Ceiling(fraction * _sortedMs.Length) - 1)];
}
