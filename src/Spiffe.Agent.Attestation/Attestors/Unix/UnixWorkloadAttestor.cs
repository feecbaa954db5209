using System.Globalization;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Unix;

/// <summary>
/// The <c>unix</c> workload attestor, selector for selector as SPIRE's: <c>uid</c>, <c>user</c>, <c>gid</c>,
/// <c>group</c> (effective IDs from <c>/proc/&lt;pid&gt;/status</c>), <c>supplementary_gid</c> and
/// <c>supplementary_group</c> for each entry of the <c>Groups:</c> line, and, with
/// <see cref="UnixAttestorOptions.DiscoverWorkloadPath"/>, <c>path</c> (the <c>exe</c> link as the workload's mount
/// namespace sees it) and <c>sha256</c> (of <c>/proc/&lt;pid&gt;/exe</c> itself, so the hashed file is the one that
/// runs even across mount namespaces). Names that do not resolve are omitted; any read failure fails the attestor.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class UnixWorkloadAttestor : IWorkloadAttestor
{
    /// <summary>The attestor name and selector type.</summary>
    public const string AttestorName = "unix";

    private readonly ProcFileSystem _proc;
    private readonly UnixAttestorOptions _options;
    private readonly AccountNames _accounts;
    private readonly ExecutableDigestCache _digests;

    /// <summary>Creates the attestor.</summary>
    public UnixWorkloadAttestor(ProcFileSystem proc, UnixAttestorOptions options, ILogger<UnixWorkloadAttestor> logger)
    {
        _proc = proc ?? throw new ArgumentNullException(nameof(proc));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentNullException.ThrowIfNull(logger);
        _accounts = new AccountNames(options.PasswdPath, options.GroupPath);
        _digests = new ExecutableDigestCache(logger);
    }

    /// <inheritdoc />
    public string Name => AttestorName;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var status = ProcReads.Read(pid, "status", () => _proc.ReadStatus(pid));
        var selectors = new List<Selector> { Make("uid", status.EffectiveUid) };
        AddIfKnown(selectors, "user", _accounts.FindUserName(status.EffectiveUid));
        selectors.Add(Make("gid", status.EffectiveGid));
        AddIfKnown(selectors, "group", _accounts.FindGroupName(status.EffectiveGid));
        foreach (var group in status.SupplementaryGroups)
        {
            selectors.Add(Make("supplementary_gid", group));
            AddIfKnown(selectors, "supplementary_group", _accounts.FindGroupName(group));
        }

        if (_options.DiscoverWorkloadPath)
        {
            selectors.Add(Make("path", ProcReads.Read(pid, "exe link", () => _proc.ReadExecutableLink(pid))));
            if (_options.WorkloadSizeLimit >= 0)
            {
                var exe = _proc.GetProcessFile(pid, "exe");
                string digest;
                try
                {
                    digest = await _digests.GetSha256Async(exe, _options.WorkloadSizeLimit, cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new WorkloadAttestorException($"could not hash the executable of PID {pid}", ex);
                }

                selectors.Add(Make("sha256", digest));
            }
        }

        return selectors;
    }

    private static void AddIfKnown(List<Selector> selectors, string kind, string? name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            selectors.Add(Make(kind, name));
        }
    }

    private static Selector Make(string kind, uint id) => Make(kind, id.ToString(CultureInfo.InvariantCulture));

    private static Selector Make(string kind, string value) => new(AttestorName, string.Concat(kind, ":", value));
}
