namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Everything a policy rule can see: the CEL variables <c>workload</c>, <c>task</c> and <c>request</c>.</summary>
internal sealed record PolicyInput(WorkloadFacts Workload, TaskFacts Task, RequestFacts Request)
{
    /// <summary>
    /// An input with every field present and empty, used to check at load time that a rule only names known
    /// variables and fields and yields a bool.
    /// </summary>
    public static PolicyInput Sample { get; } = new(
        new WorkloadFacts([string.Empty], 0, string.Empty, string.Empty),
        new TaskFacts(string.Empty, string.Empty, string.Empty, 0),
        new RequestFacts(string.Empty, [string.Empty], string.Empty, string.Empty, string.Empty));

    /// <summary>
    /// The CEL activation: nested maps with string keys, lists of strings, and 64-bit integers (CEL <c>int</c>
    /// literals compare with <see cref="long"/> values, not <see cref="int"/>).
    /// </summary>
    public Dictionary<string, object?> ToVariables() => new(StringComparer.Ordinal)
    {
        ["workload"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["selectors"] = Workload.Selectors.ToArray<object?>(),
            ["uid"] = Workload.Uid,
            ["path"] = Workload.Path,
            ["sha256"] = Workload.Sha256,
        },
        ["task"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["id"] = Task.Id,
            ["agent"] = Task.Agent,
            ["parent"] = Task.Parent,
            ["seconds_left"] = Task.SecondsLeft,
        },
        ["request"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["method"] = Request.Method,
            ["audiences"] = Request.Audiences.ToArray<object?>(),
            ["spiffe_id"] = Request.SpiffeId,
            ["intent"] = Request.Intent,
            ["data_class"] = Request.DataClass,
        },
    };
}
