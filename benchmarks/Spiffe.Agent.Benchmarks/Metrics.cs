using System.Globalization;

namespace Spiffe.Agent.Benchmarks;

/// <summary>Reads samples from the agent's Prometheus text output.</summary>
internal static class Metrics
{
    public static async Task<string> ScrapeAsync(HttpClient http, int port) =>
        await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

    /// <summary>The sum of the samples named exactly <paramref name="name"/> whose labels contain <paramref name="label"/>.</summary>
    public static double Sum(string text, string name, string label = "")
    {
        var total = 0.0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            var labels = string.Empty;
            if (rest.StartsWith('{'))
            {
                var close = rest.IndexOf('}', StringComparison.Ordinal);
                labels = rest[..(close + 1)];
                rest = rest[(close + 1)..];
            }
            else if (!rest.StartsWith(' '))
            {
                continue;
            }

            if (labels.Contains(label, StringComparison.Ordinal)
                && double.TryParse(rest.Trim().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                total += value;
            }
        }

        return total;
    }
}
