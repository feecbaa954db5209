namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>A short temporary directory (Unix socket paths are limited to 107 bytes), deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates the directory under <c>/tmp</c>.</summary>
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("ssrv-").FullName;
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
