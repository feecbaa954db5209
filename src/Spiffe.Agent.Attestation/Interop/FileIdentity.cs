namespace Spiffe.Agent.Attestation.Interop;

/// <summary>
/// What identifies the content of a file without reading it: device, inode, size, and modification and change times.
/// Writing the file changes mtime and ctime; resetting mtime (touch) still changes ctime.
/// </summary>
internal readonly record struct FileIdentity(
    uint DeviceMajor,
    uint DeviceMinor,
    ulong Inode,
    ulong Size,
    long ModifiedSeconds,
    uint ModifiedNanoseconds,
    long ChangedSeconds,
    uint ChangedNanoseconds);
