namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// The programs under test, from the same artifacts tree and configuration as this test assembly
/// (<c>artifacts&lt;slot&gt;/bin/Spiffe.Agent.Tests/&lt;config&gt;/</c>).
/// </summary>
internal static class TestArtifacts
{
    private static readonly string BinDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", ".."));
    private static readonly string Configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;

    public static string ServerDll => Locate("Spiffe.Server.Cli", "spiffe-server.dll");

    public static string AgentDll => Locate("Spiffe.Agent", "spiffe-agent.dll");

    public static string RepoRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Spiffe.Agent.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new DirectoryNotFoundException("repository root not found above " + AppContext.BaseDirectory);
        }
    }

    public static string WorkloadProto => Path.Combine(RepoRoot, "proto", "spiffe", "workload", "workload.proto");

    public static string Fixture(string name) => Path.Combine(RepoRoot, "..", "shared", "fixtures", "spire-conf", name);

    private static string Locate(string project, string file)
    {
        var path = Path.Combine(BinDirectory, project, Configuration, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{file} was not built next to the tests (expected {path})", path);
    }
}
