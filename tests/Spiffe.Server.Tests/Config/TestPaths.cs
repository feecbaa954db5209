using System.Runtime.CompilerServices;

namespace Spiffe.Server.Tests.Config;

/// <summary>Locates test data next to the sources (no copy step in the project file).</summary>
internal static class TestPaths
{
    /// <summary>The repository root.</summary>
    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", ".."));

    /// <summary>The SPIRE server.conf fixtures.</summary>
    public static string ConfFixtures { get; } = Path.Combine(SourceDirectory(), "TestData");

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
