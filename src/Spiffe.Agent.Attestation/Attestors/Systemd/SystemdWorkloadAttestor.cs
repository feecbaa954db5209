using System.Text.RegularExpressions;
using Spiffe.Agent.Attestation.Proc;
using Spiffe.Agent.Core.Attestation;

namespace Spiffe.Agent.Attestation.Attestors.Systemd;

/// <summary>
/// The <c>systemd</c> workload attestor without D-Bus: <c>id:&lt;unit&gt;</c> (e.g. <c>id:nginx.service</c>), the
/// systemd unit that owns the process, read from its cgroup path. The same selector as SPIRE's D-Bus-based attestor
/// for services and scopes; SPIRE's <c>fragment_path</c> selector needs D-Bus and is not emitted.
/// </summary>
/// <remarks>
/// The unit is the <em>first</em> <c>.service</c> or <c>.scope</c> segment from the root of the path (below the
/// slices), which is what systemd's <c>GetUnitByPID</c> answers: everything below it is the unit's own (possibly
/// delegated) subtree, where the workload may create cgroups with any name — so a delegated process cannot claim
/// <c>sshd.service</c> by creating <c>…/app.service/sshd.service</c>, and a user-manager process reports
/// <c>user@&lt;uid&gt;.service</c>. The path is the named v1 <c>systemd</c> hierarchy's when that is mounted and not
/// <c>/</c> (legacy and hybrid layouts), else the unified <c>0::</c> line's. No unit (a kernel thread, a cgroupfs
/// container, a name systemd would not accept) → no selector, no error.
/// </remarks>
internal sealed partial class SystemdWorkloadAttestor : IWorkloadAttestor
{
    /// <summary>The attestor name and selector type.</summary>
    public const string AttestorName = "systemd";

    private const int MaximumUnitNameLength = 255;
    private readonly ProcFileSystem _proc;

    /// <summary>Creates the attestor.</summary>
    public SystemdWorkloadAttestor(ProcFileSystem proc)
    {
        _proc = proc ?? throw new ArgumentNullException(nameof(proc));
    }

    /// <inheritdoc />
    public string Name => AttestorName;

    /// <summary>The unit that owns a process with these cgroup lines, or null.</summary>
    public static string? FindUnit(IEnumerable<CgroupEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        string? unified = null;
        foreach (var entry in entries)
        {
            if (entry.IsUnified)
            {
                unified = entry.Path;
            }
            else if (entry.Path != "/" && entry.Controllers.Any(c => c is "name=systemd" or "systemd"))
            {
                return FindUnit(entry.Path);
            }
        }

        return unified is null ? null : FindUnit(unified);
    }

    /// <summary>The first <c>.service</c> or <c>.scope</c> segment of a cgroup path, if it is a valid unit name.</summary>
    public static string? FindUnit(string cgroupPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupPath);
        foreach (var segment in cgroupPath.Split('/'))
        {
            if (segment.EndsWith(".service", StringComparison.Ordinal) || segment.EndsWith(".scope", StringComparison.Ordinal))
            {
                return segment.Length <= MaximumUnitNameLength && UnitNamePattern().IsMatch(segment) ? segment : null;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Selector>> AttestAsync(int pid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = FindUnit(ProcReads.Read(pid, "cgroups", () => _proc.ReadCgroups(pid)));
        IReadOnlyList<Selector> selectors = unit is null ? [] : [new Selector(AttestorName, "id:" + unit)];
        return ValueTask.FromResult(selectors);
    }

    // systemd unit-name characters: ASCII letters and digits, ":-_.\" and "@" for template instances.
    [GeneratedRegex(@"^[A-Za-z0-9:_.\\-]+(@[A-Za-z0-9:_.\\-]*)?\.(service|scope)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitNamePattern();
}
