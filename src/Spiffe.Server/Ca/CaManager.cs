using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Spiffe.Server.Config;
using Spiffe.Server.DataStore;

namespace Spiffe.Server.Ca;

/// <summary>
/// Owns the server's signing material: the X.509 CA and the JWT (and WIT) signing keys, each as a journal of
/// generations (prepared → active → old). <see cref="RotateAsync"/> applies <see cref="RotationPolicy"/> at the
/// provider's <c>now</c>: a prepared generation is published in the own-trust-domain bundle (and journaled) before it
/// can be activated, so relying parties trust it before anything it signs exists. Old generations stay in the
/// bundle until they expire, then are pruned from the bundle, the journal and the key manager.
/// </summary>
internal sealed class CaManager : IDisposable
{
    private readonly ServerConfig _config;
    private readonly IKeyManager _keys;
    private readonly ICaJournalStore _journalStore;
    private readonly IDataStore _store;
    private readonly UpstreamAuthority? _upstream;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CaJournal _journal = CaJournal.Empty;

    /// <summary>Creates the manager; call <see cref="InitializeAsync"/> before use.</summary>
    public CaManager(ServerConfig config, IKeyManager keys, ICaJournalStore journalStore, IDataStore store, UpstreamAuthority? upstream, TimeProvider timeProvider, ILogger<CaManager> logger)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _journalStore = journalStore ?? throw new ArgumentNullException(nameof(journalStore));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _upstream = upstream;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Raised after the active X.509 CA or signing key changed.</summary>
    public event EventHandler? Changed;

    /// <summary>The current journal (all generations).</summary>
    public CaJournal Journal => _journal;

    /// <summary>The X.509 CA that signs now.</summary>
    public X509CaSlot ActiveX509CA => _journal.X509.FirstOrDefault(s => s.Status == SlotStatus.Active)
        ?? throw new InvalidOperationException("no active X.509 CA");

    /// <summary>The prepared next X.509 CA, if any.</summary>
    public X509CaSlot? NextX509CA => _journal.X509.FirstOrDefault(s => s.Status == SlotStatus.Prepared);

    /// <summary>The JWT key that signs now.</summary>
    public SigningKeySlot ActiveJwtKey => _journal.Jwt.FirstOrDefault(s => s.Status == SlotStatus.Active)
        ?? throw new InvalidOperationException("no active JWT key");

    /// <summary>The prepared next JWT key, if any.</summary>
    public SigningKeySlot? NextJwtKey => _journal.Jwt.FirstOrDefault(s => s.Status == SlotStatus.Prepared);

    /// <summary>The WIT key that signs now, or null when WIT-SVIDs are not enabled.</summary>
    public SigningKeySlot? ActiveWitKey => _journal.Wit.FirstOrDefault(s => s.Status == SlotStatus.Active);

    /// <summary>Every server CA certificate still journaled (intermediates when an upstream authority is used).</summary>
    public IReadOnlyList<X509Certificate2> ServerCaCertificates =>
        [.. _journal.X509.Select(s => s.Certificate), .. _journal.X509.SelectMany(s => s.UpstreamChain)];

    private bool WitEnabled => _config.FeatureFlags.Contains("wit-svid", StringComparer.Ordinal);

    /// <summary>Loads the journal, re-attaches keys, rotates as needed and makes sure the bundle lists every generation.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _timeProvider.GetUtcNow();
            var stored = await _journalStore.LoadCaJournalAsync(cancellationToken);
            var journal = stored is null ? CaJournal.Empty : CaJournal.Decode(stored);
            journal = new CaJournal(
                journal.X509.Select(s => AttachKey(s, _keys.GetKey(s.KeyId))).Where(s => s.NotAfter > now).ToArray(),
                journal.Jwt.Select(s => AttachKey(s, _keys.GetKey(s.KeyId))).Where(s => s.NotAfter > now).ToArray(),
                journal.Wit.Select(s => AttachKey(s, _keys.GetKey(s.KeyId))).Where(s => s.NotAfter > now).ToArray());
            _journal = journal;
            await SaveAsync(cancellationToken);
            await PublishAsync(journal.X509.Where(s => s.Status != SlotStatus.Old), journal.Jwt.Where(s => s.Status != SlotStatus.Old), journal.Wit.Where(s => s.Status != SlotStatus.Old), cancellationToken);
            await RotateCoreAsync(now, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies the rotation policy at the current time (prepare, publish, activate, prune).</summary>
    public async Task RotateAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RotateCoreAsync(_timeProvider.GetUtcNow(), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static X509CaSlot AttachKey(X509CaSlot slot, AsymmetricAlgorithm? key) =>
        key is null && slot.Status != SlotStatus.Old ? slot with { Status = SlotStatus.Old } : slot with { Key = key };

    private static SigningKeySlot AttachKey(SigningKeySlot slot, AsymmetricAlgorithm? key) =>
        key is null && slot.Status != SlotStatus.Old ? slot with { Status = SlotStatus.Old } : slot with { Key = key };

    private static string NewKeyId(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string NewKid() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);

    private async Task RotateCoreAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = false;
        for (var guard = 0; guard < 4; guard++)
        {
            var active = _journal.X509.FirstOrDefault(s => s.Status == SlotStatus.Active);
            var next = _journal.X509.FirstOrDefault(s => s.Status == SlotStatus.Prepared);
            var step = RotationPolicy.Decide(active is null ? null : (active.NotBefore, active.NotAfter), next is not null, now);
            if (step == RotationStep.None)
            {
                break;
            }

            if (step == RotationStep.PrepareNext)
            {
                var slot = PrepareX509(now);
                _journal = _journal with { X509 = [.. _journal.X509, slot] };
                await SaveAsync(cancellationToken);
                await PublishAsync([slot], [], [], cancellationToken);
                CaLog.X509CaPrepared(_logger, slot.Certificate.Thumbprint, slot.NotAfter);
            }
            else
            {
                _journal = _journal with { X509 = Activate(_journal.X509, next!) };
                await SaveAsync(cancellationToken);
                CaLog.X509CaActivated(_logger, next!.Certificate.Thumbprint, next.NotAfter);
                changed = true;
            }
        }

        changed |= await RotateKeysAsync(now, isWit: false, cancellationToken);
        if (WitEnabled)
        {
            changed |= await RotateKeysAsync(now, isWit: true, cancellationToken);
        }

        await PruneAsync(now, cancellationToken);
        if (changed)
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private async Task<bool> RotateKeysAsync(DateTimeOffset now, bool isWit, CancellationToken cancellationToken)
    {
        var changed = false;
        for (var guard = 0; guard < 4; guard++)
        {
            var slots = isWit ? _journal.Wit : _journal.Jwt;
            var active = slots.FirstOrDefault(s => s.Status == SlotStatus.Active);
            var next = slots.FirstOrDefault(s => s.Status == SlotStatus.Prepared);
            var step = RotationPolicy.Decide(active is null ? null : (active.NotBefore, active.NotAfter), next is not null, now);
            if (step == RotationStep.None)
            {
                break;
            }

            IReadOnlyList<SigningKeySlot> updated;
            if (step == RotationStep.PrepareNext)
            {
                var slot = PrepareKey(now, isWit);
                updated = [.. slots, slot];
                SetKeys(isWit, updated);
                await SaveAsync(cancellationToken);
                await PublishAsync([], isWit ? [] : [slot], isWit ? [slot] : [], cancellationToken);
                CaLog.SigningKeyPrepared(_logger, isWit ? "WIT" : "JWT", slot.Kid, slot.NotAfter);
            }
            else
            {
                updated = slots.Select(s => s == next ? s with { Status = SlotStatus.Active }
                    : s.Status == SlotStatus.Active ? s with { Status = SlotStatus.Old } : s).ToArray();
                SetKeys(isWit, updated);
                await SaveAsync(cancellationToken);
                CaLog.SigningKeyActivated(_logger, isWit ? "WIT" : "JWT", next!.Kid, next.NotAfter);
                changed = true;
            }
        }

        return changed;
    }

    private void SetKeys(bool isWit, IReadOnlyList<SigningKeySlot> slots) =>
        _journal = isWit ? _journal with { Wit = slots } : _journal with { Jwt = slots };

    private static X509CaSlot[] Activate(IReadOnlyList<X509CaSlot> slots, X509CaSlot next) =>
        slots.Select(s => s == next ? s with { Status = SlotStatus.Active }
            : s.Status == SlotStatus.Active ? s with { Status = SlotStatus.Old } : s).ToArray();

    private X509CaSlot PrepareX509(DateTimeOffset now)
    {
        var keyId = NewKeyId("x509-CA-");
        var key = _keys.GenerateKey(keyId, _config.CaKeyType);
        var publicKey = new PublicKey(key);
        var notBefore = now - CertificateTemplates.Backdate;
        var notAfter = now + _config.CaTtl;
        var certificate = _upstream is null
            ? CertificateTemplates.CreateCa(publicKey, _config.TrustDomain, _config.CaSubject, null, key, notBefore, notAfter)
            : CertificateTemplates.CreateCa(publicKey, _config.TrustDomain, _config.CaSubject, _upstream.Certificate, _upstream.Key, notBefore, notAfter);
        return new X509CaSlot(keyId, certificate, _upstream?.Intermediates ?? [], key, SlotStatus.Prepared);
    }

    private SigningKeySlot PrepareKey(DateTimeOffset now, bool isWit)
    {
        var keyId = NewKeyId(isWit ? "WIT-Signer-" : "JWT-Signer-");
        var key = _keys.GenerateKey(keyId, _config.EffectiveJwtKeyType);
        var kid = NewKid();
        while (_journal.Jwt.Concat(_journal.Wit).Any(s => s.Kid == kid))
        {
            kid = NewKid();
        }

        return new SigningKeySlot(keyId, kid, KeyFactory.PublicKeyDer(key), now, now + _config.CaTtl, key, SlotStatus.Prepared);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _journalStore.SaveCaJournalAsync(_journal.Encode(), cancellationToken);
        var keep = _journal.X509.Select(s => s.KeyId)
            .Concat(_journal.Jwt.Select(s => s.KeyId))
            .Concat(_journal.Wit.Select(s => s.KeyId))
            .ToHashSet(StringComparer.Ordinal);
        _keys.Retain(keep);
    }

    private async Task PublishAsync(IEnumerable<X509CaSlot> x509, IEnumerable<SigningKeySlot> jwt, IEnumerable<SigningKeySlot> wit, CancellationToken cancellationToken)
    {
        var roots = x509.SelectMany(s => _upstream is null ? [s.Certificate] : _upstream.Roots)
            .Select(c => new X509Authority(c.RawData))
            .ToArray();
        var bundle = new BundleRecord
        {
            TrustDomain = _config.TrustDomain,
            X509Authorities = roots,
            JwtAuthorities = jwt.Select(ToAuthority).ToArray(),
            WitAuthorities = wit.Select(ToAuthority).ToArray(),
        };
        if (_upstream is not null && roots.Length == 0)
        {
            bundle = bundle with { X509Authorities = _upstream.Roots.Select(c => new X509Authority(c.RawData)).ToArray() };
        }

        await _store.AppendBundleAsync(bundle, cancellationToken);
    }

    private static KeyAuthority ToAuthority(SigningKeySlot slot) =>
        new(slot.Kid, slot.PublicKey, slot.NotAfter.ToUnixTimeSeconds());

    private async Task PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var journal = _journal;
        var pruned = new CaJournal(
            journal.X509.Where(s => s.Status != SlotStatus.Old || s.NotAfter > now).ToArray(),
            journal.Jwt.Where(s => s.Status != SlotStatus.Old || s.NotAfter > now).ToArray(),
            journal.Wit.Where(s => s.Status != SlotStatus.Old || s.NotAfter > now).ToArray());
        if (pruned.X509.Count != journal.X509.Count || pruned.Jwt.Count != journal.Jwt.Count || pruned.Wit.Count != journal.Wit.Count)
        {
            _journal = pruned;
            await SaveAsync(cancellationToken);
        }

        var bundle = await _store.GetBundleAsync(_config.TrustDomain, cancellationToken);
        if (bundle is null)
        {
            return;
        }

        var unix = now.ToUnixTimeSeconds();
        var x509 = bundle.X509Authorities.Where(a => !Expired(a, now)).ToArray();
        var jwt = bundle.JwtAuthorities.Where(k => k.ExpiresAt == 0 || k.ExpiresAt > unix).ToArray();
        var wit = bundle.WitAuthorities.Where(k => k.ExpiresAt == 0 || k.ExpiresAt > unix).ToArray();
        if (x509.Length == 0)
        {
            return;
        }

        if (x509.Length != bundle.X509Authorities.Count || jwt.Length != bundle.JwtAuthorities.Count || wit.Length != bundle.WitAuthorities.Count)
        {
            await _store.UpdateBundleAsync(bundle with { X509Authorities = x509, JwtAuthorities = jwt, WitAuthorities = wit }, cancellationToken);
            CaLog.BundlePruned(_logger, bundle.X509Authorities.Count - x509.Length, bundle.JwtAuthorities.Count - jwt.Length);
        }
    }

    private static bool Expired(X509Authority authority, DateTimeOffset now)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(authority.Der);
        return certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime;
    }
}
