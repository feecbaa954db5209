using System.Collections.Frozen;
using System.Globalization;

namespace Spiffe.Agent.Attestation.Attestors.Unix;

/// <summary>
/// Maps user and group IDs to names from <c>passwd</c>- and <c>group</c>-format files (no NSS). Each file is parsed
/// once and parsed again only when its modification time or length changes. A missing file resolves no names.
/// </summary>
internal sealed class AccountNames
{
    private readonly IdNameFile _users;
    private readonly IdNameFile _groups;

    /// <summary>Creates the lookup over the two files.</summary>
    public AccountNames(string passwdPath, string groupPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(passwdPath);
        ArgumentException.ThrowIfNullOrEmpty(groupPath);
        _users = new IdNameFile(passwdPath);
        _groups = new IdNameFile(groupPath);
    }

    /// <summary>The name of a user ID, or null when no entry has it.</summary>
    public string? FindUserName(uint uid) => _users.Find(uid);

    /// <summary>The name of a group ID, or null when no entry has it.</summary>
    public string? FindGroupName(uint gid) => _groups.Find(gid);

    /// <summary>
    /// Parses <c>name:password:id:…</c> lines (both <c>/etc/passwd</c> and <c>/etc/group</c> have this shape). Blank
    /// lines, comments, NIS <c>+</c>/<c>-</c> lines and lines without a numeric ID are skipped; the first entry for an
    /// ID wins, as with <c>getpwuid</c>.
    /// </summary>
    public static FrozenDictionary<uint, string> ParseIdNames(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new Dictionary<uint, string>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length < 3 || fields[0].Length == 0 || fields[0][0] is '#' or '+' or '-')
            {
                continue;
            }

            if (uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                names.TryAdd(id, fields[0]);
            }
        }

        return names.ToFrozenDictionary();
    }

    private sealed class IdNameFile
    {
        private readonly string _path;
        private Snapshot? _snapshot;

        public IdNameFile(string path) => _path = path;

        public string? Find(uint id) => Current().Names.GetValueOrDefault(id);

        private Snapshot Current()
        {
            var info = new FileInfo(_path);
            var exists = info.Exists;
            var stamp = exists ? info.LastWriteTimeUtc : DateTime.MinValue;
            var length = exists ? info.Length : -1;
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null && snapshot.Stamp == stamp && snapshot.Length == length)
            {
                return snapshot;
            }

            var names = exists ? ParseIdNames(File.ReadAllText(_path)) : FrozenDictionary<uint, string>.Empty;
            snapshot = new Snapshot(stamp, length, names);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }

        private sealed record Snapshot(DateTime Stamp, long Length, FrozenDictionary<uint, string> Names);
    }
}
