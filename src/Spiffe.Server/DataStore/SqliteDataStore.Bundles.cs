using Microsoft.Data.Sqlite;
using Spiffe.Core;

namespace Spiffe.Server.DataStore;

/// <content>Bundles.</content>
internal sealed partial class SqliteDataStore
{
    private readonly Dictionary<string, BundleRecord> _bundles = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<BundleRecord?> GetBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken)
    {
        lock (_memoryGate)
        {
            return Task.FromResult(_bundles.GetValueOrDefault(trustDomain.Name));
        }
    }

    /// <inheritdoc />
    public Task<Page<BundleRecord>> ListBundlesAsync(int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        BundleRecord[] snapshot;
        lock (_memoryGate)
        {
            snapshot = _bundles.Values.ToArray();
        }

        var ordered = snapshot.OrderBy(b => b.TrustDomain.Name, StringComparer.Ordinal);
        return Task.FromResult(Paginate(ordered, b => b.TrustDomain.Name, pageSize, pageToken));
    }

    /// <inheritdoc />
    public Task<int> CountBundlesAsync(CancellationToken cancellationToken)
    {
        lock (_memoryGate)
        {
            return Task.FromResult(_bundles.Count);
        }
    }

    /// <inheritdoc />
    public Task<BundleRecord> CreateBundleAsync(BundleRecord bundle, CancellationToken cancellationToken)
    {
        ValidateBundle(bundle);
        return WriteAsync(
            tx =>
            {
                lock (_memoryGate)
                {
                    if (_bundles.ContainsKey(bundle.TrustDomain.Name))
                    {
                        throw new DataStoreException(DataStoreErrorCode.AlreadyExists, $"bundle for \"{bundle.TrustDomain}\" already exists");
                    }
                }

                var stored = bundle with { SequenceNumber = bundle.SequenceNumber == 0 ? 1 : bundle.SequenceNumber };
                WriteBundle(tx, stored);
                return Done(stored, () => _bundles[stored.TrustDomain.Name] = stored);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BundleRecord> UpdateBundleAsync(BundleRecord bundle, CancellationToken cancellationToken)
    {
        ValidateBundle(bundle);
        return WriteAsync(
            tx =>
            {
                BundleRecord? old;
                lock (_memoryGate)
                {
                    old = _bundles.GetValueOrDefault(bundle.TrustDomain.Name);
                }

                if (old is null)
                {
                    throw new DataStoreException(DataStoreErrorCode.NotFound, $"bundle for \"{bundle.TrustDomain}\" not found");
                }

                var stored = bundle with { SequenceNumber = old.SequenceNumber + 1 };
                WriteBundle(tx, stored);
                return Done(stored, () => _bundles[stored.TrustDomain.Name] = stored);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BundleRecord> SetBundleAsync(BundleRecord bundle, CancellationToken cancellationToken)
    {
        ValidateBundle(bundle);
        return WriteAsync(
            tx =>
            {
                BundleRecord? old;
                lock (_memoryGate)
                {
                    old = _bundles.GetValueOrDefault(bundle.TrustDomain.Name);
                }

                var stored = bundle with { SequenceNumber = old is null ? Math.Max(1, bundle.SequenceNumber) : old.SequenceNumber + 1 };
                WriteBundle(tx, stored);
                return Done(stored, () => _bundles[stored.TrustDomain.Name] = stored);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<BundleRecord> AppendBundleAsync(BundleRecord bundle, CancellationToken cancellationToken)
    {
        ValidateBundle(bundle);
        return WriteAsync(
            tx =>
            {
                BundleRecord? old;
                lock (_memoryGate)
                {
                    old = _bundles.GetValueOrDefault(bundle.TrustDomain.Name);
                }

                if (old is null)
                {
                    var created = bundle with { SequenceNumber = Math.Max(1, bundle.SequenceNumber) };
                    WriteBundle(tx, created);
                    return Done(created, () => _bundles[created.TrustDomain.Name] = created);
                }

                var x509 = old.X509Authorities.ToList();
                x509.AddRange(bundle.X509Authorities.Where(a => !x509.Any(o => o.Der.AsSpan().SequenceEqual(a.Der))));
                var jwt = MergeKeys(old.JwtAuthorities, bundle.JwtAuthorities);
                var wit = MergeKeys(old.WitAuthorities, bundle.WitAuthorities);
                if (x509.Count == old.X509Authorities.Count && jwt.Count == old.JwtAuthorities.Count && wit.Count == old.WitAuthorities.Count)
                {
                    return Done(old, () => { });
                }

                var stored = old with { X509Authorities = x509, JwtAuthorities = jwt, WitAuthorities = wit, SequenceNumber = old.SequenceNumber + 1 };
                WriteBundle(tx, stored);
                return Done(stored, () => _bundles[stored.TrustDomain.Name] = stored);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteBundleAsync(TrustDomain trustDomain, BundleDeleteMode mode, CancellationToken cancellationToken) =>
        WriteAsync(
            tx =>
            {
                RegistrationEntry[] referencing;
                lock (_memoryGate)
                {
                    if (!_bundles.ContainsKey(trustDomain.Name))
                    {
                        throw new DataStoreException(DataStoreErrorCode.NotFound, $"bundle for \"{trustDomain}\" not found");
                    }

                    referencing = _entries.Values.Where(e => e.FederatesWith.Contains(trustDomain.Name, StringComparer.Ordinal)).ToArray();
                }

                var changed = new List<(RegistrationEntry Old, RegistrationEntry? New)>();
                switch (mode)
                {
                    case BundleDeleteMode.Restrict when referencing.Length > 0:
                        throw new DataStoreException(
                            DataStoreErrorCode.FailedPrecondition,
                            $"cannot delete bundle; federated with {referencing.Length} registration entries");
                    case BundleDeleteMode.Delete:
                        foreach (var e in referencing)
                        {
                            DeleteEntryRows(tx, e.Id);
                            changed.Add((e, null));
                        }

                        break;
                    case BundleDeleteMode.Dissociate:
                        foreach (var e in referencing)
                        {
                            var updated = e with
                            {
                                FederatesWith = e.FederatesWith.Where(n => n != trustDomain.Name).ToArray(),
                                RevisionNumber = e.RevisionNumber + 1,
                            };
                            DeleteEntryRows(tx, e.Id);
                            InsertEntry(tx, updated);
                            changed.Add((e, updated));
                        }

                        break;
                    default:
                        break;
                }

                using (var command = Command(tx, "DELETE FROM bundles WHERE trust_domain = $td;"))
                {
                    command.Parameters.AddWithValue("$td", trustDomain.Name);
                    command.ExecuteNonQuery();
                }

                return Done(true, () =>
                {
                    _bundles.Remove(trustDomain.Name);
                    foreach (var (old, updated) in changed)
                    {
                        Unindex(old);
                        if (updated is not null)
                        {
                            Index(updated);
                        }
                    }
                });
            },
            cancellationToken);

    private static List<KeyAuthority> MergeKeys(IReadOnlyList<KeyAuthority> existing, IReadOnlyList<KeyAuthority> added)
    {
        var merged = existing.ToList();
        merged.AddRange(added.Where(k => !merged.Any(o => o.KeyId == k.KeyId)));
        return merged;
    }

    private static void ValidateBundle(BundleRecord bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.TrustDomain.IsZero)
        {
            throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "bundle trust domain is required");
        }

        foreach (var keys in new[] { bundle.JwtAuthorities, bundle.WitAuthorities })
        {
            if (keys.Any(k => string.IsNullOrEmpty(k.KeyId)))
            {
                throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "bundle key is missing its key ID");
            }

            if (keys.Select(k => k.KeyId).Distinct(StringComparer.Ordinal).Count() != keys.Count)
            {
                throw new DataStoreException(DataStoreErrorCode.InvalidArgument, "bundle key IDs must be unique");
            }
        }
    }

    private void WriteBundle(SqliteTransaction tx, BundleRecord bundle)
    {
        using var command = Command(tx, "INSERT INTO bundles (trust_domain, data) VALUES ($td, $data) ON CONFLICT (trust_domain) DO UPDATE SET data = excluded.data;");
        command.Parameters.AddWithValue("$td", bundle.TrustDomain.Name);
        command.Parameters.AddWithValue("$data", BundleCodec.Encode(bundle));
        command.ExecuteNonQuery();
    }

    private void LoadBundles()
    {
        using var command = Command(null, "SELECT data FROM bundles;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var bundle = BundleCodec.Decode((byte[])reader.GetValue(0));
            _bundles[bundle.TrustDomain.Name] = bundle;
        }
    }
}
