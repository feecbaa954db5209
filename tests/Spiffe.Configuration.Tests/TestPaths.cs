namespace Spiffe.Configuration.Tests;

/// <summary>
/// Locates the repository (the folder holding Spiffe.Agent.sln, found by walking up from the test assembly) and the
/// shared fixtures beside it: &lt;root&gt;/main is the repository and &lt;root&gt;/shared the fixtures.
/// </summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SpireConfFixtures { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "spire-conf"));

    public static string Fixture(string fileName) => Path.Combine(SpireConfFixtures, fileName);

    public static string TestData(string fileName) => Path.Combine(AppContext.BaseDirectory, "TestData", fileName);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spiffe.Agent.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Spiffe.Agent.sln above {AppContext.BaseDirectory}");
    }
}
