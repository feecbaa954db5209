using System.Globalization;
using Spiffe.Agent.Attestation.Proc;

namespace Spiffe.Agent.Attestation.Tests.Infrastructure;

/// <summary>
/// A child cgroup created directly under the cgroup v2 mount found in <c>/proc/self/mountinfo</c> (on this kind of
/// machine a hybrid layout puts it at <c>/sys/fs/cgroup/unified</c>; elsewhere it is <c>/sys/fs/cgroup</c>), removed
/// on dispose once its processes have exited.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    private readonly string _directory;

    private TestCgroup(string directory, string name)
    {
        _directory = directory;
        Name = name;
    }

    /// <summary>The cgroup's directory name, which is also the last segment of its path.</summary>
    public string Name { get; }

    /// <summary>The path as <c>/proc/&lt;pid&gt;/cgroup</c> shows it to this process.</summary>
    public string CgroupPath => "/" + Name;

    /// <summary>Creates the cgroup, or ignores the test when cgroup v2 is not mounted or not writable.</summary>
    public static TestCgroup Create(string name)
    {
        var mount = MountInfoEntry.ParseFile(File.ReadAllText("/proc/self/mountinfo"))
            .FirstOrDefault(m => m.FileSystemType == "cgroup2");
        if (mount is null)
        {
            Assert.Ignore("needs a cgroup v2 mount");
        }

        if (mount!.Root != "/")
        {
            Assert.Ignore($"the cgroup v2 mount's root is {mount.Root}, so paths under it are not namespace-relative");
        }

        var directory = Path.Combine(mount.MountPoint, name);
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Assert.Ignore($"cgroup v2 at {mount.MountPoint} is not writable: {ex.Message}");
        }

        return new TestCgroup(directory, name);
    }

    /// <summary>Moves a process into the cgroup.</summary>
    public void Add(int pid) =>
        File.WriteAllText(Path.Combine(_directory, "cgroup.procs"), pid.ToString(CultureInfo.InvariantCulture));

    public void Dispose() => Directory.Delete(_directory);
}
