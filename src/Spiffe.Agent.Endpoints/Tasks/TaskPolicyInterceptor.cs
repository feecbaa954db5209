using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Tasks;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Tasks;

/// <summary>
/// Runs after attestation on every Workload API call of a task's process (and of every caller with
/// <c>policy_for_all_callers</c>): audits the attestation, evaluates the request policy with the workload, task and
/// request facts (intent and data class from the <c>x-spiffe-intent</c> / <c>x-spiffe-data-class</c> metadata), and
/// ends a denied call with <c>PermissionDenied "denied by policy &lt;name&gt;: &lt;reason&gt;"</c> (audited). An allowed
/// call carries its <see cref="TaskCall"/> to the handler. The audit trail is fail-closed: a call whose record cannot be
/// written is refused with <c>Unavailable</c>.
/// </summary>
internal sealed class TaskPolicyInterceptor : Interceptor
{
    private readonly TaskEndpointServices _tasks;
    private readonly ILogger<TaskPolicyInterceptor> _logger;

    /// <summary>Creates the interceptor.</summary>
    public TaskPolicyInterceptor(TaskEndpointServices tasks, ILogger<TaskPolicyInterceptor> logger)
    {
        _tasks = tasks ?? throw new ArgumentNullException(nameof(tasks));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Check(request, context);
        return continuation(request, context);
    }

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        Check(request, context);
        return continuation(request, responseStream, context);
    }

    /// <summary>Describes the caller from its peer credentials, selectors and cgroup.</summary>
    public static WorkloadDescription Describe(WorkloadCaller caller, uint uid, string? cgroup)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var selectors = caller.Selectors.Select(s => s.ToString()).ToList();
        return new WorkloadDescription(caller.Pid, uid, selectors, UnixValue(caller, "path:"), UnixValue(caller, "sha256:"), cgroup);
    }

    private static string UnixValue(WorkloadCaller caller, string prefix) =>
        caller.Selectors.FirstOrDefault(s => s.Type == "unix" && s.Value.StartsWith(prefix, StringComparison.Ordinal))?.Value[prefix.Length..]
        ?? string.Empty;

    private static string Header(ServerCallContext context, string name) =>
        context.RequestHeaders.GetValue(name) ?? string.Empty;

    private static (IReadOnlyList<string> Audiences, string SpiffeId) RequestFields(object? request) => request switch
    {
        JWTSVIDRequest jwt => ([.. jwt.Audience], jwt.SpiffeId),
        ValidateJWTSVIDRequest validate => ([validate.Audience], string.Empty),
        WITSVIDRequest wit => ([], wit.SpiffeId),
        CreateProofRequest proof => ([proof.TargetUri], proof.SpiffeId),
        _ => ([], string.Empty),
    };

    private void Check(object? request, ServerCallContext context)
    {
        if (!WorkloadApiMethods.IsWorkloadApi(context.Method) || !WorkloadApiMethods.RequiresAttestation(context.Method))
        {
            return;
        }

        var caller = context.GetCaller();
        var process = _tasks.Directory.FindProcess(caller.Pid);
        var task = process?.Task;
        if (task is null && !_tasks.Options.PolicyForAllCallers)
        {
            return;
        }

        var uid = context.GetCallerFeature()?.Watcher.Credentials.Uid ?? uint.MaxValue;
        var workload = Describe(caller, uid, process?.Cgroup);
        var (audiences, spiffeId) = RequestFields(request);
        var described = new RequestDescription(
            WorkloadApiMethods.ShortName(context.Method),
            audiences,
            spiffeId,
            Header(context, TaskEndpointOptions.IntentHeader),
            Header(context, TaskEndpointOptions.DataClassHeader));
        if (task is not null)
        {
            Audit(new AuditEntry { Kind = AuditEntryKind.Attestation, Workload = workload, Task = task, Request = described });
        }

        var decision = _tasks.Policy.Evaluate(workload, task, described);
        if (!decision.IsAllowed)
        {
            var message = decision.DenialMessage ?? "denied by policy";
            Audit(new AuditEntry
            {
                Kind = AuditEntryKind.Denial,
                Workload = workload,
                Task = task,
                Request = described,
                Allowed = false,
                Reason = message,
                Policies = decision.Policies,
            });
            TaskEndpointsLog.DeniedByPolicy(_logger, caller.Pid, described.Method, task?.TaskId ?? string.Empty, message);
            throw new RpcException(new Status(StatusCode.PermissionDenied, message));
        }

        context.SetTaskCall(new TaskCall(workload, task, described, decision));
    }

    private void Audit(AuditEntry entry)
    {
        try
        {
            _tasks.Audit.Append(entry);
        }
        catch (IOException ex)
        {
            TaskEndpointsLog.AuditFailed(_logger, entry.Workload.Pid, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit trail cannot be written"));
        }
    }
}
