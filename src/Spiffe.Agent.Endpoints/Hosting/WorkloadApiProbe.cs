using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Spiffe.Agent.Endpoints.Interceptors;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Hosting;

/// <summary>
/// Loopback calls to the agent's own Workload API socket, the way SPIRE checks its health: the result is the status of
/// the first message of a real call (attestation of the agent's own process included). Message contents are never
/// read, so no key material is copied.
/// </summary>
internal sealed class WorkloadApiProbe : IDisposable
{
    private static readonly Marshaller<string> IgnoreContent =
        new(static (_, context) => context.Complete([]), static _ => string.Empty);

    private static readonly Method<X509SVIDRequest, string> FetchX509SvidMethod = new(
        MethodType.ServerStreaming, "SpiffeWorkloadAPI", "FetchX509SVID", Marshallers.Create(static (X509SVIDRequest r) => r.ToByteArray(), X509SVIDRequest.Parser.ParseFrom), IgnoreContent);

    private static readonly Method<X509BundlesRequest, string> FetchX509BundlesMethod = new(
        MethodType.ServerStreaming, "SpiffeWorkloadAPI", "FetchX509Bundles", Marshallers.Create(static (X509BundlesRequest r) => r.ToByteArray(), X509BundlesRequest.Parser.ParseFrom), IgnoreContent);

    private readonly WorkloadEndpointOptions _options;
    private readonly Lock _gate = new();
    private GrpcChannel? _channel;
    private bool _disposed;

    /// <summary>Creates the probe for the socket in <paramref name="options"/>; no connection is made yet.</summary>
    public WorkloadApiProbe(WorkloadEndpointOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Status of a loopback <c>FetchX509SVID</c> (OK when a message arrived).</summary>
    public Task<StatusCode> FetchX509SvidAsync(CancellationToken cancellationToken) =>
        ProbeAsync(FetchX509SvidMethod, new X509SVIDRequest(), cancellationToken);

    /// <summary>Status of a loopback <c>FetchX509Bundles</c> (OK when a message arrived).</summary>
    public Task<StatusCode> FetchX509BundlesAsync(CancellationToken cancellationToken) =>
        ProbeAsync(FetchX509BundlesMethod, new X509BundlesRequest(), cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _channel?.Dispose();
            _channel = null;
        }
    }

    private async Task<StatusCode> ProbeAsync<TRequest>(Method<TRequest, string> method, TRequest request, CancellationToken cancellationToken)
        where TRequest : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HealthCheckTimeout);
        var headers = new Metadata { { SecurityHeaderInterceptor.HeaderName, "true" } };
        try
        {
            using var call = Invoker().AsyncServerStreamingCall(method, null, new CallOptions(headers, cancellationToken: timeout.Token), request);
            return await call.ResponseStream.MoveNext(timeout.Token) ? StatusCode.OK : StatusCode.Unavailable;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode;
        }
        catch (OperationCanceledException)
        {
            return StatusCode.DeadlineExceeded;
        }
        catch (ObjectDisposedException)
        {
            return StatusCode.Unavailable;
        }
    }

    private CallInvoker Invoker()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _channel ??= UnixSocketChannel.Create(_options.SocketPath);
            return _channel.CreateCallInvoker();
        }
    }
}
