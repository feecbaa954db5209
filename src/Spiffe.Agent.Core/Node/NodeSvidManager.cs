using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Server;
using Spiffe.Agent.Core.Sync;
using Spiffe.Core;

namespace Spiffe.Agent.Core.Node;

/// <summary>
/// The agent SVID's lifecycle: reuse a stored SVID at startup, otherwise attest (with backoff); rotate at a jittered
/// half-life by renewing or re-attesting; persist SVID and bundle; react to the server's <c>PermissionDenied</c>
/// reasons. Publishes the current SVID and trust roots through <see cref="AgentCredentials"/>.
/// </summary>
internal sealed class NodeSvidManager : IDisposable
{
    /// <summary>How long node attestation is retried before the agent gives up.</summary>
    public static readonly TimeSpan AttestationGiveUp = TimeSpan.FromMinutes(1);

    /// <summary>The first delay between attestation attempts.</summary>
    public static readonly TimeSpan AttestationInitialBackoff = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_expirySkew = TimeSpan.FromSeconds(1);

    private readonly AgentOptions _options;
    private readonly ISpireServerClient _client;
    private readonly AgentKeyManager _keyManager;
    private readonly AgentDataStore _dataStore;
    private readonly AgentCredentials _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private readonly AgentMetrics _metrics;
    private readonly ILogger<NodeSvidManager> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ECDsa? _currentKey;
    private bool _reattestable;

    /// <summary>Creates the manager.</summary>
    public NodeSvidManager(
        AgentOptions options,
        ISpireServerClient client,
        AgentKeyManager keyManager,
        AgentDataStore dataStore,
        AgentCredentials credentials,
        TimeProvider timeProvider,
        Random random,
        AgentMetrics metrics,
        ILogger<NodeSvidManager> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _keyManager = keyManager ?? throw new ArgumentNullException(nameof(keyManager));
        _dataStore = dataStore ?? throw new ArgumentNullException(nameof(dataStore));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The current agent SVID; null before <see cref="InitializeAsync"/> succeeded.</summary>
    public X509Svid? AgentSvid => _credentials.AgentSvid;

    /// <summary>
    /// Establishes the agent SVID: the stored one when it is unexpired and its key is in the key manager, else node
    /// attestation retried with backoff (5 s × 1.5 ± 10 %) for about a minute.
    /// </summary>
    /// <exception cref="AgentMustExitException">Attestation was refused or kept failing, or the configuration is unusable.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        SecureFile.EnsureDirectory(_options.DataDirectory);
        var stored = LoadStored();
        _credentials.ServerTrustBundle = LoadServerTrust(stored);
        if (TryUseStoredSvid(stored))
        {
            return;
        }

        await AttestWithRetryAsync(cancellationToken);
    }

    /// <summary>Renews or re-attests when the agent SVID is past its jittered half-life; true when it rotated.</summary>
    /// <exception cref="SpireServerException">The server call failed.</exception>
    public async Task<bool> RotateIfNeededAsync(CancellationToken cancellationToken)
    {
        var svid = _credentials.AgentSvid ?? throw new InvalidOperationException("the agent has no SVID yet");
        var leaf = svid.Certificates[0];
        if (!RotationPolicy.ShouldRotate(_timeProvider.GetUtcNow(), leaf.NotBefore, leaf.NotAfter, _random))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(svid, _credentials.AgentSvid))
            {
                return true;
            }

            if (_reattestable)
            {
                await AttestOnceAsync(cancellationToken);
            }
            else
            {
                await RenewOnceAsync(cancellationToken);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>True when the agent SVID has expired.</summary>
    public bool IsAgentSvidExpired() =>
        _credentials.AgentSvid is not { } svid || svid.Certificates[0].NotAfter <= _timeProvider.GetUtcNow();

    /// <summary>
    /// Reacts to a server error as SPIRE's agent does: banned → delete the stored SVID and exit; a re-attest reason →
    /// re-attest in-process when the method allows it, otherwise delete the stored SVID and exit. Returns true when
    /// the agent re-attested (or another caller already did), false when the error is not one of these.
    /// </summary>
    /// <exception cref="AgentMustExitException">The agent must exit.</exception>
    public async Task<bool> TryHandleServerErrorAsync(SpireServerException error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error.IsBanned)
        {
            DeleteStoredSvid();
            throw MustExit(AgentExitReason.Banned, "the server banned this agent; its stored SVID was deleted. Delete the agent on the server (spiffe-server agent evict) and attest again with new attestation material", error);
        }

        if (!error.ShouldReattest)
        {
            return false;
        }

        var observed = _credentials.AgentSvid;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(observed, _credentials.AgentSvid))
            {
                return true;
            }

            if (!_reattestable)
            {
                DeleteStoredSvid();
                throw MustExit(
                    AgentExitReason.ReattestationImpossible,
                    $"the server requires re-attestation ({error.Reason}) but this agent's attestation method cannot re-attest; its stored SVID was deleted. Start the agent with a new join token",
                    error);
            }

            AgentCoreLog.Reattesting(_logger, error.Reason?.ToString() ?? "unknown");
            try
            {
                await AttestOnceAsync(cancellationToken);
            }
            catch (SpireServerException refused) when (refused.StatusCode == ServerStatusCode.PermissionDenied)
            {
                DeleteStoredSvid();
                throw MustExit(
                    refused.IsBanned ? AgentExitReason.Banned : AgentExitReason.AttestationFailed,
                    "the server refused re-attestation: " + Redact(refused.Message) + "; the stored SVID was deleted",
                    refused);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the rotation lock.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>Adopts the own trust domain's roots from a sync when they changed, and persists them.</summary>
    public void UpdateTrustBundle(X509Bundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var current = _credentials.ServerTrustBundle;
        if (current is not null && current.Marshal().AsSpan().SequenceEqual(bundle.Marshal()))
        {
            return;
        }

        _credentials.ServerTrustBundle = bundle;
        if (_credentials.AgentSvid is { } svid)
        {
            _dataStore.Save(new StoredAgentData(svid.Certificates, bundle.X509Authorities, _reattestable));
        }
    }

    private StoredAgentData LoadStored()
    {
        try
        {
            return _dataStore.Load();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            AgentCoreLog.AgentDataCorrupt(_logger, ex.Message);
            return StoredAgentData.Empty;
        }
    }

    private X509Bundle? LoadServerTrust(StoredAgentData stored)
    {
        if (stored.Bundle.Count > 0)
        {
            AgentCoreLog.TrustBundleLoaded(_logger, "the bundle stored in " + _dataStore.FilePath);
            return new X509Bundle(_options.TrustDomain, stored.Bundle);
        }

        if (string.IsNullOrEmpty(_options.TrustBundlePath))
        {
            AgentCoreLog.TrustBundleLoaded(_logger, "insecure bootstrap: the server's certificate chain is not verified for the first attestation");
            return null;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(_options.TrustBundlePath);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw MustExit(AgentExitReason.Configuration, $"cannot read trust_bundle_path {_options.TrustBundlePath}: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            throw MustExit(AgentExitReason.Configuration, $"trust_bundle_path {_options.TrustBundlePath} holds no PEM certificate", null);
        }

        AgentCoreLog.TrustBundleLoaded(_logger, "trust_bundle_path " + _options.TrustBundlePath);
        return new X509Bundle(_options.TrustDomain, roots);
    }

    private bool TryUseStoredSvid(StoredAgentData stored)
    {
        if (stored.SvidChain.Count == 0)
        {
            AgentCoreLog.StoredAgentSvidUnusable(_logger, "no agent SVID is stored");
            return false;
        }

        var leaf = stored.SvidChain[0];
        if (leaf.NotAfter <= _timeProvider.GetUtcNow() + s_expirySkew)
        {
            AgentCoreLog.StoredAgentSvidUnusable(_logger, "it has expired");
            return false;
        }

        ECDsa? key;
        try
        {
            key = _keyManager.FindKey(leaf.PublicKey);
        }
        catch (InvalidDataException ex)
        {
            AgentCoreLog.AgentDataCorrupt(_logger, ex.Message);
            return false;
        }

        if (key is null)
        {
            AgentCoreLog.StoredAgentSvidUnusable(_logger, "its private key is not in the key manager");
            return false;
        }

        X509Svid svid;
        try
        {
            svid = BuildSvid(stored.SvidChain, key);
        }
        catch (X509SvidException ex)
        {
            AgentCoreLog.StoredAgentSvidUnusable(_logger, ex.Message);
            return false;
        }

        _currentKey = key;
        _reattestable = stored.Reattestable;
        _credentials.AgentSvid = svid;
        AgentCoreLog.UsingStoredAgentSvid(_logger, svid.Id, leaf.NotAfter);
        return true;
    }

    private async Task AttestWithRetryAsync(CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetUtcNow();
        var backoff = new Backoff(AttestationInitialBackoff, AttestationInitialBackoff * 24, _random);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await AttestOnceAsync(cancellationToken);
                return;
            }
            catch (SpireServerException ex) when (ex.StatusCode == ServerStatusCode.PermissionDenied)
            {
                throw MustExit(
                    ex.IsBanned ? AgentExitReason.Banned : AgentExitReason.AttestationFailed,
                    "the server refused node attestation: " + Redact(ex.Message),
                    ex);
            }
            catch (Exception ex) when (ex is SpireServerException or X509SvidException)
            {
                var delay = backoff.Next();
                if (_timeProvider.GetUtcNow() - started + delay > AttestationGiveUp)
                {
                    throw MustExit(AgentExitReason.AttestationFailed, "node attestation kept failing; last error: " + Redact(ex.Message), ex);
                }

                AgentCoreLog.AttestationAttemptFailed(_logger, attempt, Redact(ex.Message), delay);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private async Task AttestOnceAsync(CancellationToken cancellationToken)
    {
        NodeAttestationParameters attestation;
        try
        {
            attestation = NodeAttestationLoader.Load(_options)
                ?? throw MustExit(AgentExitReason.Configuration, "no usable agent SVID is stored and no node attestation method is configured (join_token or x509pop)", null);
        }
        catch (InvalidDataException ex)
        {
            throw MustExit(AgentExitReason.Configuration, ex.Message, ex);
        }

        var key = _keyManager.GenerateKey(_currentKey);
        AgentAttestationResult result;
        X509Svid svid;
        try
        {
            result = await _client.AttestAgentAsync(attestation, key, cancellationToken);
            svid = BuildSvid(result.SvidChain, key);
        }
        catch (Exception ex) when (ex is SpireServerException or X509SvidException)
        {
            _metrics.RecordAgentSvidRotation("attest", success: false);
            throw;
        }

        _reattestable = result.Reattestable;
        Adopt(svid, key, result.Bundle.X509);
        _metrics.RecordAgentSvidRotation("attest", success: true);
        AgentCoreLog.AgentAttested(_logger, svid.Id, svid.Certificates[0].NotAfter, result.Reattestable);
        if (!result.Reattestable && !_keyManager.IsPersistent)
        {
            AgentCoreLog.MemoryKeyManagerNotReattestable(_logger);
        }
    }

    private async Task RenewOnceAsync(CancellationToken cancellationToken)
    {
        var key = _keyManager.GenerateKey(_currentKey);
        X509Svid svid;
        try
        {
            var chain = await _client.RenewAgentAsync(key, cancellationToken);
            svid = BuildSvid(chain, key);
        }
        catch (Exception ex) when (ex is SpireServerException or X509SvidException)
        {
            _metrics.RecordAgentSvidRotation("renew", success: false);
            throw;
        }

        Adopt(svid, key, _credentials.ServerTrustBundle);
        _metrics.RecordAgentSvidRotation("renew", success: true);
        AgentCoreLog.AgentSvidRenewed(_logger, svid.Id, svid.Certificates[0].NotAfter);
    }

    private void Adopt(X509Svid svid, ECDsa key, X509Bundle? bundle)
    {
        _currentKey = key;
        _credentials.ServerTrustBundle = bundle;
        _credentials.AgentSvid = svid;
        _dataStore.Save(new StoredAgentData(svid.Certificates, bundle?.X509Authorities ?? [], _reattestable));
    }

    private X509Svid BuildSvid(IReadOnlyList<X509Certificate2> chain, ECDsa key)
    {
        var der = chain.SelectMany(c => c.RawData).ToArray();
        var svid = X509Svid.ParseRaw(der, key.ExportPkcs8PrivateKey());
        return svid.Id.MemberOf(_options.TrustDomain)
            ? svid
            : throw new X509SvidException($"the agent SVID {svid.Id} is not in trust domain {_options.TrustDomain}");
    }

    private void DeleteStoredSvid()
    {
        var stored = LoadStored();
        _dataStore.Save(stored with { SvidChain = [] });
    }

    private string Redact(string message) =>
        string.IsNullOrEmpty(_options.JoinToken) ? message : message.Replace(_options.JoinToken, "<join token>", StringComparison.Ordinal);

    private static AgentMustExitException MustExit(AgentExitReason reason, string message, Exception? cause)
    {
        var request = new AgentExitRequest(reason, message);
        return cause is null ? new AgentMustExitException(request) : new AgentMustExitException(request, cause);
    }
}
