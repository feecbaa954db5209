using System.Globalization;

namespace Spiffe.Agent.Benchmarks;

/// <summary>What one scenario measured at one concurrency.</summary>
internal sealed record LoadResult(string Scenario, int Clients, long Calls, long Failures, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double Throughput => Calls / Elapsed.TotalSeconds;

    public static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
}
