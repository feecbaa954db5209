using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Hosting;

/// <summary>
/// The socket file's life cycle, as SPIRE's agent handles it: the directory is created (0755) if missing, a stale
/// file from an earlier run is removed before binding, and after binding the socket is made connectable by every
/// user (0777), since callers are identified by their peer credentials, not by file permissions.
/// </summary>
internal static class UnixSocketFile
{
    /// <summary>The directory mode: rwxr-xr-x.</summary>
    public const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The socket mode: rwxrwxrwx.</summary>
    public const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the socket's directory if needed and removes a stale socket file.</summary>
    /// <exception cref="IOException">The path is a directory, or the directory cannot be created.</exception>
    public static void PrepareForBind(string socketPath, ILogger logger)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the Workload API endpoint needs Unix file modes");
        }

        var fullPath = Path.GetFullPath(socketPath);
        var directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        if (Directory.Exists(fullPath))
        {
            throw new IOException($"socket path {fullPath} is a directory");
        }

        if (File.Exists(fullPath))
        {
            File.Delete(fullPath);
            EndpointsLog.StaleSocketRemoved(logger, fullPath);
        }
    }

    /// <summary>Makes the bound socket connectable by every user.</summary>
    public static void AllowEveryone(string socketPath)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the Workload API endpoint needs Unix file modes");
        }

        File.SetUnixFileMode(socketPath, SocketMode);
    }

    /// <summary>Removes the socket file after the listener closed, if it is still there.</summary>
    public static void Remove(string socketPath)
    {
        try
        {
            File.Delete(socketPath);
        }
        catch (IOException)
        {
            // Best effort: the next start removes a stale file anyway.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
