using Spiffe.Core;

namespace Spiffe.Agent.Core.Tasks;

/// <summary>Task-bound identity settings the agent back end and the endpoint share (<c>tasks { }</c> in agent.conf).</summary>
internal sealed class TaskIdentityOptions
{
    /// <summary>The default <see cref="SpiffeIdTemplate"/>.</summary>
    public const string DefaultSpiffeIdTemplate = "spiffe://{trust_domain}/agent/{agent}/task/{task_id}";

    /// <summary>The agent's admin identity (<c>admin_spiffe_id</c>): the SPIFFE ID of its <c>spiffe_agent:self</c> admin entry.</summary>
    public SpiffeId AdminSpiffeId { get; set; }

    /// <summary>
    /// The SPIFFE ID of a task (<c>spiffe_id_template</c>); <c>{trust_domain}</c>, <c>{agent}</c> and <c>{task_id}</c>
    /// are replaced.
    /// </summary>
    public string SpiffeIdTemplate { get; set; } = DefaultSpiffeIdTemplate;

    /// <summary>Evaluate the request policy for every caller, not only task processes (<c>policy_for_all_callers</c>).</summary>
    public bool PolicyForAllCallers { get; set; }

    /// <summary>The longest X509-SVID lifetime of a task entry (also capped by the time the task has left).</summary>
    public TimeSpan X509SvidTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest JWT-SVID lifetime of a task entry (also capped by the time the task has left).</summary>
    public TimeSpan JwtSvidTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The SPIFFE ID of a task from <see cref="SpiffeIdTemplate"/>.</summary>
    /// <exception cref="FormatException">The result is not a valid SPIFFE ID.</exception>
    public SpiffeId SpiffeIdFor(TrustDomain trustDomain, string agent, string taskId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(taskId);
        var text = SpiffeIdTemplate
            .Replace("{trust_domain}", trustDomain.Name, StringComparison.Ordinal)
            .Replace("{agent}", agent, StringComparison.Ordinal)
            .Replace("{task_id}", taskId, StringComparison.Ordinal);
        return SpiffeId.TryParse(text, out var id) && !id.IsRootPath
            ? id
            : throw new FormatException($"spiffe_id_template yields \"{text}\", which is not a SPIFFE ID with a path");
    }
}
