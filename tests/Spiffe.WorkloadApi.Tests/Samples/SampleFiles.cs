namespace Spiffe.WorkloadApi.Tests.Samples;

/// <summary>Files of the repository (found by walking up from the test assembly to Spiffe.Agent.sln) and build outputs next to the tests.</summary>
internal static class SampleFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Kubernetes => Path.Combine(RepoRoot, "samples", "deploy", "kubernetes");

    public static string SystemdUnit => Path.Combine(RepoRoot, "samples", "deploy", "systemd", "spiffe-agent.service");

    public static string SpireConfig(string name) => Path.Combine(RepoRoot, "spire-config", name);

    /// <summary>
    /// spiffe-agent.dll from the same artifacts tree and configuration as this test assembly
    /// (<c>artifacts&lt;slot&gt;/bin/Spiffe.Agent/&lt;config&gt;/</c>), or null when it is missing.
    /// </summary>
    public static string? AgentDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
            var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Spiffe.Agent", configuration, "spiffe-agent.dll"));
            return File.Exists(path) ? path : null;
        }
    }

    private static string FindRepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Spiffe.Agent.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("no Spiffe.Agent.sln above " + AppContext.BaseDirectory);
    }
}
