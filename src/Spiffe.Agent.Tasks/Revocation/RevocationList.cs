using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>
/// Credentials of ended tasks, kept until they expire on their own (plus <see cref="TaskOptions.RevocationRetention"/>
/// for verifiers' clock-skew leeway). Lookups are lock-free; changes are persisted to
/// <c>revocations.json</c> in the data directory (atomic replace, 0600) and streamed to watchers.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class RevocationList
{
    private const string FileName = "revocations.json";

    private readonly Lock gate = new();
    private readonly EventBroadcaster<RevocationEvent> watchers = new();
    private readonly string stateFile;
    private readonly TimeSpan retention;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<RevocationList> logger;
    private volatile ImmutableDictionary<(CredentialKind Kind, string Id), RevokedCredential> entries;

    public RevocationList(IOptions<TaskOptions> options, TimeProvider timeProvider, ILogger<RevocationList> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.timeProvider = timeProvider;
        this.logger = logger;
        retention = options.Value.RevocationRetention;
        AtomicFile.EnsureDirectory(options.Value.DataDirectory);
        stateFile = Path.Combine(options.Value.DataDirectory, FileName);
        entries = Load(stateFile);
    }

    /// <summary>
    /// Puts the given credentials of <paramref name="taskId"/> on the list. Credentials already past expiry plus
    /// retention are skipped. Returns what was added.
    /// </summary>
    /// <param name="taskId">The task whose end revokes them.</param>
    /// <param name="credentials">What was issued to the task.</param>
    /// <param name="spiffeId">The task's SPIFFE ID, when known (for verifiers and the server relay).</param>
    /// <param name="reason">Why the task ended, when known.</param>
    public IReadOnlyList<RevokedCredential> Revoke(
        string taskId, IEnumerable<IssuedCredential> credentials, string? spiffeId = null, string? reason = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(credentials);
        var now = timeProvider.GetUtcNow();
        return Add(
            credentials.Select(c => new RevokedCredential(c.Kind, c.Id, taskId, now, c.ExpiresAt) { SpiffeId = spiffeId, Reason = reason }),
            taskId,
            now);
    }

    /// <summary>
    /// Merges revocations made elsewhere (other agents' tasks, relayed by the server), keeping their revocation time.
    /// Those already listed or past expiry plus retention are skipped. Returns what was added.
    /// </summary>
    public IReadOnlyList<RevokedCredential> Import(IEnumerable<RevokedCredential> revoked)
    {
        ArgumentNullException.ThrowIfNull(revoked);
        return Add(revoked, taskId: "(relayed)", timeProvider.GetUtcNow());
    }

    private List<RevokedCredential> Add(IEnumerable<RevokedCredential> candidates, string taskId, DateTimeOffset now)
    {
        lock (gate)
        {
            var builder = SelectRetained(entries.Values, now, retention)
                .ToImmutableDictionary(e => (e.Kind, e.Id))
                .ToBuilder();
            var added = new List<RevokedCredential>();
            foreach (var entry in candidates)
            {
                if (IsRetained(entry, now, retention) && !builder.ContainsKey((entry.Kind, entry.Id)))
                {
                    builder.Add((entry.Kind, entry.Id), entry);
                    added.Add(entry);
                }
            }

            var pruned = builder.Count != entries.Count + added.Count;
            if (added.Count == 0 && !pruned)
            {
                return [];
            }

            Commit(builder.ToImmutable());
            if (added.Count > 0)
            {
                RevocationLog.Revoked(logger, taskId, added.Count);
                watchers.Publish(new RevocationEvent(RevocationEventKind.Revoked, added));
            }

            return added;
        }
    }

    /// <summary>Whether a JWT with this <c>jti</c> is revoked.</summary>
    public bool IsRevokedJti(string jti) => IsRevoked(CredentialKind.Jwt, jti);

    /// <summary>Whether an X.509 certificate with this serial number (any hex form) is revoked.</summary>
    public bool IsRevokedSerial(string serialNumber) =>
        IsRevoked(CredentialKind.X509, IssuedCredential.NormalizeSerial(serialNumber));

    /// <summary>The current list (entries past retention excluded), ordered by revocation time.</summary>
    public IReadOnlyList<RevokedCredential> Snapshot() =>
        SelectRetained(entries.Values, timeProvider.GetUtcNow(), retention)
            .OrderBy(e => e.RevokedAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToArray();

    /// <summary>Drops entries past their expiry plus retention and persists the result. Returns how many were dropped.</summary>
    public int Prune()
    {
        var now = timeProvider.GetUtcNow();
        lock (gate)
        {
            var retained = SelectRetained(entries.Values, now, retention).ToArray();
            var dropped = entries.Count - retained.Length;
            if (dropped > 0)
            {
                Commit(retained.ToImmutableDictionary(e => (e.Kind, e.Id)));
                RevocationLog.Pruned(logger, dropped);
            }

            return dropped;
        }
    }

    /// <summary>
    /// Streams the list: first a <see cref="RevocationEventKind.Snapshot"/>, then every revocation as it happens.
    /// </summary>
    public async IAsyncEnumerable<RevocationEvent> Watch([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        System.Threading.Channels.Channel<RevocationEvent> channel;
        lock (gate)
        {
            channel = watchers.Subscribe();
            channel.Writer.TryWrite(new RevocationEvent(RevocationEventKind.Snapshot, Snapshot()));
        }

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            watchers.Unsubscribe(channel);
        }
    }

    /// <summary>
    /// The entries still worth keeping at <paramref name="now"/>: those whose credential has not yet expired by more
    /// than <paramref name="retention"/>. A pure function of its arguments.
    /// </summary>
    internal static IEnumerable<RevokedCredential> SelectRetained(
        IEnumerable<RevokedCredential> entries, DateTimeOffset now, TimeSpan retention) =>
        entries.Where(e => IsRetained(e, now, retention));

    private static bool IsRetained(RevokedCredential entry, DateTimeOffset now, TimeSpan retention) =>
        now < entry.ExpiresAt + retention;

    private bool IsRevoked(CredentialKind kind, string id) =>
        entries.TryGetValue((kind, id), out var entry) && IsRetained(entry, timeProvider.GetUtcNow(), retention);

    /// <summary>
    /// Makes <paramref name="next"/> current, then persists it. Enforcement never waits on the disk: a failed write is
    /// logged and the next change writes the whole list again.
    /// </summary>
    private void Commit(ImmutableDictionary<(CredentialKind Kind, string Id), RevokedCredential> next)
    {
        entries = next;
        var document = new PersistedRevocations(PersistedRevocations.CurrentVersion, [.. next.Values]);
        try
        {
            AtomicFile.Write(stateFile, JsonSerializer.SerializeToUtf8Bytes(document, TasksJsonContext.Default.PersistedRevocations));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            RevocationLog.PersistFailed(logger, ex, stateFile);
        }
    }

    private static ImmutableDictionary<(CredentialKind Kind, string Id), RevokedCredential> Load(string path)
    {
        if (!File.Exists(path))
        {
            return ImmutableDictionary<(CredentialKind Kind, string Id), RevokedCredential>.Empty;
        }

        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllBytes(path), TasksJsonContext.Default.PersistedRevocations)
                ?? throw new JsonException("empty document");
            if (document.Version != PersistedRevocations.CurrentVersion)
            {
                throw new JsonException($"unsupported version {document.Version}");
            }

            return document.Revoked.ToImmutableDictionary(e => (e.Kind, e.Id));
        }
        catch (JsonException ex)
        {
            throw new TaskException(TaskError.StateCorrupt, $"revocation list {path} cannot be read: {ex.Message}", ex);
        }
    }
}
