namespace Spiffe.Server.Benchmarks;

/// <summary>Entry point.</summary>
internal static class Program
{
    /// <summary>Runs the benchmark.</summary>
    public static Task<int> Main(string[] args) => ServerLoad.RunAsync(args);
}
