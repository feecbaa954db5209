namespace Spiffe.Server.Benchmarks;

/// <summary>The load run (filled in below).</summary>
internal static class ServerLoad
{
    /// <summary>Runs every measurement and prints a Markdown report.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Task.FromResult(0);
    }
}
