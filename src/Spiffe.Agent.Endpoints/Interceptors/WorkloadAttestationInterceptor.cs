using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core.Attestation;
using Spiffe.Agent.Endpoints.Diagnostics;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// Attests the caller of every Workload API call (after the security header check) through
/// <see cref="IWorkloadAttestationService"/> and hands the selectors to the handler, mapping failures as SPIRE does:
/// every attestor failed → <c>Unavailable "workload attestation failed"</c>; the caller is no longer the process
/// that connected → <c>Unauthenticated "could not verify existence of the original caller"</c> and the connection is
/// closed.
/// </summary>
internal sealed class WorkloadAttestationInterceptor : Interceptor
{
    /// <summary>The status message when attestation fails.</summary>
    public const string AttestationFailedMessage = "workload attestation failed";

    /// <summary>The status message when the caller is gone.</summary>
    public const string CallerGoneMessage = "could not verify existence of the original caller";

    private readonly IWorkloadAttestationService _attestation;
    private readonly WorkloadApiMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WorkloadAttestationInterceptor> _logger;

    /// <summary>Creates the interceptor.</summary>
    public WorkloadAttestationInterceptor(
        IWorkloadAttestationService attestation, WorkloadApiMetrics metrics, TimeProvider timeProvider, ILogger<WorkloadAttestationInterceptor> logger)
    {
        _attestation = attestation ?? throw new ArgumentNullException(nameof(attestation));
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
        await AttestAsync(context);
        return await continuation(request, context);
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        await AttestAsync(context);
        await continuation(request, responseStream, context);
    }

    private async Task AttestAsync(ServerCallContext context)
    {
        if (!WorkloadApiMethods.RequiresAttestation(context.Method))
        {
            return;
        }

        var feature = context.GetCallerFeature();
        if (feature is null)
        {
            // Every connection on the Workload API socket is tracked; a call without a caller is a wiring error.
            throw new RpcException(new Status(StatusCode.Internal, "could not resolve caller information"));
        }

        var pid = feature.Watcher.Credentials.Pid;
        var started = _timeProvider.GetTimestamp();
        WorkloadAttestationResult result;
        try
        {
            result = await _attestation.AttestAsync(feature.Watcher, context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            EndpointsLog.AttestationError(_logger, pid, ex);
            _metrics.Attested("failed", _timeProvider.GetElapsedTime(started));
            throw new RpcException(new Status(StatusCode.Unavailable, AttestationFailedMessage));
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        switch (result.Status)
        {
            case WorkloadAttestationStatus.Succeeded:
                _metrics.Attested("succeeded", elapsed);
                context.SetCaller(new WorkloadCaller(pid, result.Selectors));
                return;
            case WorkloadAttestationStatus.CallerGone:
                _metrics.Attested("caller_gone", elapsed);
                EndpointsLog.CallerGone(_logger, pid, WorkloadApiMethods.ShortName(context.Method));
                feature.CloseConnection();
                throw new RpcException(new Status(StatusCode.Unauthenticated, CallerGoneMessage));
            case WorkloadAttestationStatus.AttestationFailed:
                _metrics.Attested("failed", elapsed);
                EndpointsLog.AttestationFailed(_logger, pid, WorkloadApiMethods.ShortName(context.Method));
                throw new RpcException(new Status(StatusCode.Unavailable, AttestationFailedMessage));
            default:
                throw new UnreachableException($"unknown attestation status {result.Status}");
        }
    }
}
