using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>
/// Append-only, hash-chained JSON-lines audit trail with size-based rotation. Appends are serialized by a lock; each
/// record is written with one write call and fsynced before <see cref="Append"/> returns, so an acknowledged record
/// survives a crash or power loss. A torn last line (a crash inside a write) is cut off when the log is next opened.
/// The chain continues across files: the first record of a new file holds the hash of the last one of the previous.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class AuditLog : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly Lock gate = new();
    private readonly AuditOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AuditLog> logger;
    private readonly string currentPath;
    private FileStream? stream;
    private long lastSeq;
    private string lastHash = AuditLine.GenesisHash;
    private bool disposed;

    public AuditLog(IOptions<AuditOptions> options, TimeProvider timeProvider, ILogger<AuditLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        currentPath = Path.Combine(this.options.Directory, this.options.FileName);
    }

    /// <summary>The audit files, oldest first, as <see cref="AuditVerifier.Verify"/> takes them.</summary>
    public IReadOnlyList<string> Files() => AuditVerifier.ChronologicalFiles(options.Directory, options.FileName);

    /// <summary>Appends a record (stamped with the next sequence number, the current time and the chain hashes).</summary>
    /// <exception cref="ArgumentException">The record holds something shaped like a credential.</exception>
    /// <exception cref="IOException">The record could not be written; nothing of it is left in the file.</exception>
    public void Append(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.EnsureNoSecrets();
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var current = stream ?? Open();
            var seq = lastSeq + 1;
            var line = AuditLine.Seal(AuditLine.Canonical(record, seq, timeProvider.GetUtcNow(), lastHash), out var hash);
            var bytes = new byte[line.Length + 1];
            line.CopyTo(bytes, 0);
            bytes[^1] = (byte)'\n';

            if (current.Length > 0 && current.Length + bytes.Length > options.MaxFileBytes)
            {
                current = Rotate(current);
            }

            var before = current.Length;
            try
            {
                current.Write(bytes);
                current.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                Rollback(current, before);
                throw;
            }

            lastSeq = seq;
            lastHash = hash;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            stream?.Dispose();
            stream = null;
        }
    }

    private FileStream Open()
    {
        AtomicFile.EnsureDirectory(options.Directory);
        CutTornTail(currentPath);
        var tail = LastLine(currentPath) ?? LastLine(currentPath + ".1");
        if (tail is not null)
        {
            var sealedLine = AuditLine.Unseal(tail);
            var chain = sealedLine is { } parts ? AuditLine.ReadChainFields(parts.Canonical) : null;
            if (sealedLine is null || chain is null)
            {
                throw new IOException($"the last audit record before {currentPath} is malformed; verify the audit trail");
            }

            lastSeq = chain.Value.Seq;
            lastHash = sealedLine.Value.Hash;
        }
        else
        {
            lastSeq = -1;
            lastHash = AuditLine.GenesisHash;
        }

        stream = OpenForAppend(currentPath);
        return stream;
    }

    private FileStream Rotate(FileStream current)
    {
        current.Dispose();
        stream = null;
        var oldest = RotatedPath(options.MaxFiles - 1);
        if (File.Exists(oldest))
        {
            File.Delete(oldest);
        }

        for (var i = options.MaxFiles - 2; i >= 1; i--)
        {
            if (File.Exists(RotatedPath(i)))
            {
                File.Move(RotatedPath(i), RotatedPath(i + 1));
            }
        }

        File.Move(currentPath, RotatedPath(1));
        AuditLogLog.Rotated(logger, currentPath, lastSeq);
        stream = OpenForAppend(currentPath);
        return stream;
    }

    private void Rollback(FileStream current, long length)
    {
        try
        {
            current.SetLength(length);
            current.Seek(0, SeekOrigin.End);
        }
        catch (IOException)
        {
            // The file cannot be trimmed now; reopening cuts the torn line off.
            current.Dispose();
            stream = null;
        }
    }

    private void CutTornTail(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        if (file.Length == 0)
        {
            return;
        }

        var content = new byte[file.Length];
        file.ReadExactly(content);
        if (content[^1] == (byte)'\n')
        {
            return;
        }

        var keep = Array.LastIndexOf(content, (byte)'\n') + 1;
        file.SetLength(keep);
        file.Flush(flushToDisk: true);
        AuditLogLog.TornTailCut(logger, path, content.Length - keep);
    }

    private static byte[]? LastLine(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var content = File.ReadAllBytes(path);
        var end = content.Length;
        while (end > 0 && content[end - 1] == (byte)'\n')
        {
            end--;
        }

        if (end == 0)
        {
            return null;
        }

        var start = Array.LastIndexOf(content, (byte)'\n', end - 1) + 1;
        return content[start..end];
    }

    private static FileStream OpenForAppend(string path)
    {
        // Not FileMode.Append: that mode refuses SetLength below the opening length, which Rollback needs.
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            UnixCreateMode = OwnerOnly,
        });
        file.Seek(0, SeekOrigin.End);
        return file;
    }

    private string RotatedPath(int index) => currentPath + "." + index.ToString(CultureInfo.InvariantCulture);
}
