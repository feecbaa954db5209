using System.Collections.Concurrent;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Attestation.Interop;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Unix;

/// <summary>
/// SHA-256 digests of workload executables, cached by the executable's <see cref="FileIdentity"/> (device, inode,
/// size, mtime, ctime) so that attesting the same binary again does not read it again. The file is opened once and
/// both the identity and the digest come from that open handle; if the identity changes while hashing, the digest is
/// refused. The cache holds at most <see cref="Capacity"/> digests and starts over when full.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ExecutableDigestCache
{
    /// <summary>The most digests kept.</summary>
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<FileIdentity, string> _digests = new();
    private readonly ILogger _logger;

    /// <summary>Creates an empty cache.</summary>
    public ExecutableDigestCache(ILogger logger)
    {
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The lowercase hex SHA-256 of the file at <paramref name="path"/> (symbolic links are followed).</summary>
    /// <param name="path">The file, typically <c>/proc/&lt;pid&gt;/exe</c>.</param>
    /// <param name="sizeLimit">The largest size hashed; 0 or less = no limit.</param>
    /// <param name="cancellationToken">Cancels hashing.</param>
    /// <exception cref="WorkloadAttestorException">The file is over the limit or changed while hashed.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public async ValueTask<string> GetSha256Async(string path, long sizeLimit, CancellationToken cancellationToken)
    {
        // Opened with open(2) rather than File.OpenHandle, which takes an advisory flock: a workload holding an
        // exclusive flock on a shared binary must not be able to block everyone else's attestation.
        using var handle = LinuxInterop.OpenReadOnly(path, out var errno);
        if (handle.IsInvalid)
        {
            throw new IOException($"could not open {path} (errno {errno})");
        }

        var identity = LinuxInterop.GetFileIdentity(handle);
        if (sizeLimit > 0 && identity.Size > (ulong)sizeLimit)
        {
            throw new WorkloadAttestorException($"workload binary {path} exceeds size limit ({identity.Size} > {sizeLimit})");
        }

        if (_digests.TryGetValue(identity, out var cached))
        {
            return cached;
        }

        byte[] hash;
        await using (var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0))
        {
            hash = await SHA256.HashDataAsync(stream, cancellationToken);
            if (LinuxInterop.GetFileIdentity(handle) != identity)
            {
                throw new WorkloadAttestorException($"workload binary {path} changed while it was hashed");
            }
        }

        var digest = Convert.ToHexStringLower(hash);
        if (_digests.Count >= Capacity)
        {
            _digests.Clear();
        }

        _digests[identity] = digest;
        AttestationLog.WorkloadBinaryHashed(_logger, path, identity.Size);
        return digest;
    }
}
