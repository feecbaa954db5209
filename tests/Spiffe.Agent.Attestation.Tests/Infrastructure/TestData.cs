namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>Paths of the fixture files copied next to the test assembly (see TestData/README.md).</summary>
internal static class TestData
{
    /// <summary>The PID every containerinfo fixture uses.</summary>
    public const int FixturePid = 123;

    public static string Root => Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>A <c>common/containerinfo/&lt;case&gt;/proc</c> folder, usable as a procfs root.</summary>
    public static string ContainerInfoProcRoot(string testCase) =>
        Path.Combine(Root, "cgroups", "common", "containerinfo", testCase, "proc");

    /// <summary>The text of a <c>agent/plugin/workloadattestor/k8s/&lt;name&gt;</c> cgroup dump.</summary>
    public static string K8sCgroupText(string fileName) =>
        File.ReadAllText(Path.Combine(Root, "cgroups", "agent", "plugin", "workloadattestor", "k8s", fileName));

    /// <summary>Every mountinfo fixture, relative to the containerinfo folder.</summary>
    public static IEnumerable<string> AllMountInfoCases()
    {
        var baseDirectory = Path.Combine(Root, "cgroups", "common", "containerinfo");
        return Directory.EnumerateFiles(baseDirectory, "mountinfo", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(baseDirectory, p))
            .Order(StringComparer.Ordinal);
    }
}
