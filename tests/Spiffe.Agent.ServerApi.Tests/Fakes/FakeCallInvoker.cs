using System.Threading.Channels;
using Grpc.Core;

namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>
/// An in-process gRPC server at the <see cref="CallInvoker"/> level: the generated client stubs run unchanged and
/// each method is answered by a handler registered by full method name. Unary handlers may throw
/// <see cref="RpcException"/>; duplex handlers read requests and write responses through channels.
/// </summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    private readonly Dictionary<string, Func<object, object>> _unary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<object, object, Task>> _duplex = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public List<CallOptions> Options { get; } = [];

    public void OnUnary<TRequest, TResponse>(string method, Func<TRequest, TResponse> handler) =>
        _unary[method] = request => handler((TRequest)request)!;

    public void OnDuplex<TRequest, TResponse>(string method, Func<ChannelReader<TRequest>, ChannelWriter<TResponse>, Task> handler) =>
        _duplex[method] = (requests, responses) => handler((ChannelReader<TRequest>)requests, (ChannelWriter<TResponse>)responses);

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Record(method.FullName, options);
        Task<TResponse> response;
        try
        {
            response = Task.FromResult((TResponse)Handler(_unary, method.FullName)(request));
        }
        catch (RpcException ex)
        {
            response = Task.FromException<TResponse>(ex);
        }

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        throw new NotSupportedException();

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
        throw new NotSupportedException();

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Record(method.FullName, options);
        var requests = Channel.CreateUnbounded<TRequest>();
        var responses = Channel.CreateUnbounded<TResponse>();
        var handler = Handler(_duplex, method.FullName);
        _ = Task.Run(async () =>
        {
            try
            {
                await handler(requests.Reader, responses.Writer);
                responses.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                responses.Writer.TryComplete(ex);
            }
        });
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new ChannelStreamWriter<TRequest>(requests.Writer),
            new ChannelStreamReader<TResponse>(responses.Reader),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => requests.Writer.TryComplete());
    }

    private static T Handler<T>(Dictionary<string, T> handlers, string method) =>
        handlers.TryGetValue(method, out var handler)
            ? handler
            : throw new RpcException(new Status(StatusCode.Unimplemented, "no fake handler for " + method));

    private void Record(string method, CallOptions options)
    {
        lock (_lock)
        {
            _calls.Add(method);
            Options.Add(options);
        }
    }
}
