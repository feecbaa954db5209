namespace Spiffe.Agent.Attestation.Attestors.Unix;

/// <summary>Configuration of the <c>unix</c> workload attestor (SPIRE's <c>plugin_data</c> keys in brackets).</summary>
internal sealed class UnixAttestorOptions
{
    /// <summary>
    /// [<c>discover_workload_path</c>] Also emit <c>path</c> and <c>sha256</c> selectors for the workload's executable.
    /// Needs the agent to be able to read <c>/proc/&lt;pid&gt;/exe</c> (root, or the workload's user). Default false.
    /// </summary>
    public bool DiscoverWorkloadPath { get; set; }

    /// <summary>
    /// [<c>workload_size_limit</c>] The largest executable, in bytes, that is hashed for the <c>sha256</c> selector;
    /// a larger one fails attestation. 0 = no limit; negative = never hash (no <c>sha256</c> selector). Default 0.
    /// </summary>
    public long WorkloadSizeLimit { get; set; }

    /// <summary>The user database that maps uids to names for <c>user</c> selectors. Default <c>/etc/passwd</c>.</summary>
    public string PasswdPath { get; set; } = "/etc/passwd";

    /// <summary>The group database that maps gids to names for <c>group</c> selectors. Default <c>/etc/group</c>.</summary>
    public string GroupPath { get; set; } = "/etc/group";
}
