namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>Task-bound identity settings of the Workload API endpoint.</summary>
internal sealed class TaskEndpointOptions
{
    /// <summary>The request metadata key that declares the request's intent (e.g. <c>read</c>).</summary>
    public const string IntentHeader = "x-spiffe-intent";

    /// <summary>The request metadata key that declares the data class the request touches (e.g. <c>confidential</c>).</summary>
    public const string DataClassHeader = "x-spiffe-data-class";

    /// <summary>Evaluate the request policy for every caller, not only the processes of tasks (<c>policy_for_all_callers</c>).</summary>
    public bool PolicyForAllCallers { get; set; }
}
