namespace Spiffe.Agent.Benchmarks;

/// <summary>The load command (filled in next).</summary>
internal static class AgentLoad
{
    /// <summary>Runs the load.</summary>
    public static Task<int> MainAsync(string[] args) => Task.FromResult(args.Length >= 0 ? 0 : 1);
}
