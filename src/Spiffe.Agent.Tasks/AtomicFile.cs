using System.Runtime.Versioning;

namespace Spiffe.Agent.Tasks;

/// <summary>Crash-safe replacement of small state files: readers see the old or the new content, never a mix.</summary>
[SupportedOSPlatform("linux")]
internal static class AtomicFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    /// <summary>
    /// Writes <paramref name="content"/> to a temporary file (mode 0600) in the same directory, fsyncs it and renames it
    /// over <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var temporary = path + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = OwnerOnly,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Creates a directory readable by its owner only (0700), if it does not exist.</summary>
    public static void EnsureDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }
}
