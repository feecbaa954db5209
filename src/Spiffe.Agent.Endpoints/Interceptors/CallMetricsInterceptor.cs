using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// The outermost interceptor: counts every Workload API call by method and final status, records its duration (and
/// a stream's time to first message) and logs failures once. The agent's own loopback health-check calls are not
/// counted, as in SPIRE.
/// </summary>
internal sealed class CallMetricsInterceptor : Interceptor
{
    private readonly WorkloadApiMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CallMetricsInterceptor> _logger;

    /// <summary>Creates the interceptor.</summary>
    public CallMetricsInterceptor(WorkloadApiMetrics metrics, TimeProvider timeProvider, ILogger<CallMetricsInterceptor> logger)
    {
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc />
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (!ShouldRecord(context))
        {
            return await continuation(request, context);
        }

        var started = _timeProvider.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex)
        {
            status = StatusOf(ex, context);
            throw;
        }
        finally
        {
            Complete(context, status, started);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (!ShouldRecord(context))
        {
            await continuation(request, responseStream, context);
            return;
        }

        var started = _timeProvider.GetTimestamp();
        var status = StatusCode.OK;
        var writer = new FirstMessageTimingWriter<TResponse>(
            responseStream, () => _metrics.FirstResponseSent(WorkloadApiMethods.ShortName(context.Method), _timeProvider.GetElapsedTime(started)));
        try
        {
            await continuation(request, writer, context);
        }
        catch (Exception ex)
        {
            status = StatusOf(ex, context);
            throw;
        }
        finally
        {
            Complete(context, status, started);
        }
    }

    private static bool ShouldRecord(ServerCallContext context) =>
        WorkloadApiMethods.IsWorkloadApi(context.Method)
        && context.GetCallerFeature()?.Watcher.Credentials.Pid != Environment.ProcessId;

    private static StatusCode StatusOf(Exception exception, ServerCallContext context) => exception switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    private void Complete(ServerCallContext context, StatusCode status, long started)
    {
        var method = WorkloadApiMethods.ShortName(context.Method);
        var elapsed = _timeProvider.GetElapsedTime(started);
        _metrics.CallCompleted(method, status, elapsed);
        var pid = context.GetCallerFeature()?.Watcher.Credentials.Pid ?? 0;
        EndpointsLog.CallCompleted(_logger, method, pid, status, elapsed.TotalMilliseconds);
    }
}
