namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Where per-request policies live and how often they are re-read.</summary>
internal sealed class PolicyOptions
{
    /// <summary>Directory of <c>*.json</c> policy files, one policy per file.</summary>
    public string Directory { get; set; } = "/etc/spiffe-agent/policies";

    /// <summary>How often the directory is checked for changed, added or removed files.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);
}
