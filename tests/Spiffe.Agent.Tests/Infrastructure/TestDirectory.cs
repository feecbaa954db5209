namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>
/// A short temporary directory (Unix socket paths must stay under 108 bytes) that other users can traverse, so that
/// workloads started under other uids reach the agent's socket. Deleted on dispose.
/// </summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        }
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child that still writes its log; the OS cleans /tmp eventually.
        }
    }
}
