using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Spiffe.Core;
using Spiffe.WorkloadApi.Internal;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.WorkloadApi;

/// <summary>
/// A client of the SPIFFE Workload API. <c>Fetch*</c> methods return the current state once; <c>Watch*</c>
/// methods keep a stream open, report every update, and reconnect after failures with a linear backoff (1 s more
/// per consecutive failure, at most 30 s, reset by each message) — except after <see cref="StatusCode.InvalidArgument"/>
/// or <see cref="StatusCode.Cancelled"/>, which end the watch. Every call carries the <c>workload.spiffe.io: true</c>
/// header. Responses are validated as they are mapped to Spiffe.Core types. Thread-safe. The WIT-SVID methods and the
/// signing-oracle call are in <c>WorkloadApiClient.Wit.cs</c>.
/// </summary>
public sealed partial class WorkloadApiClient : IAsyncDisposable
{
    private const string X509SvidStream = "X509-SVID";
    private const string X509BundlesStream = "X.509 bundles";
    private const string JwtBundlesStream = "JWT bundles";

    private readonly GrpcChannel channel;
    private readonly SpiffeWorkloadAPI.SpiffeWorkloadAPIClient client;
    private readonly ILogger logger;
    private int disposed;

    private WorkloadApiClient(WorkloadApiAddress address, WorkloadApiClientOptions options)
    {
        this.Address = address;
        this.TimeProvider = options.TimeProvider ?? throw new ArgumentException("TimeProvider must not be null", nameof(options));
        this.LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        this.logger = this.LoggerFactory.CreateLogger<WorkloadApiClient>();
        (this.channel, var invoker) = WorkloadApiChannel.Create(address, options.LoggerFactory);
        this.client = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(invoker);
        this.proofClient = CreateProofClient(invoker);
    }

    /// <summary>The endpoint this client talks to.</summary>
    public WorkloadApiAddress Address { get; }

    internal TimeProvider TimeProvider { get; }

    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>
    /// Creates a client. No connection is made until the first call, so a missing endpoint shows up as a failed
    /// call (<see cref="StatusCode.Unavailable"/>), not here.
    /// </summary>
    /// <param name="options">The address and settings; by default the address comes from <c>SPIFFE_ENDPOINT_SOCKET</c>.</param>
    /// <returns>The client; dispose it to close the connection.</returns>
    /// <exception cref="FormatException">The address is invalid; the message names the rule.</exception>
    /// <exception cref="WorkloadApiException">No address is configured and <c>SPIFFE_ENDPOINT_SOCKET</c> is unset.</exception>
    public static WorkloadApiClient Create(WorkloadApiClientOptions? options = null)
    {
        options ??= new WorkloadApiClientOptions();
        var address = options.Address is { } value
            ? WorkloadApiAddress.Parse(value)
            : WorkloadApiAddress.FromEnvironment()
                ?? throw new WorkloadApiException($"no Workload API address: set WorkloadApiClientOptions.Address or the {WorkloadApiAddress.EnvironmentVariable} environment variable");
        return new WorkloadApiClient(address, options);
    }

    /// <summary>Fetches the default X509-SVID (the first one the endpoint returns).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVID.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<X509Svid> FetchX509SvidAsync(CancellationToken cancellationToken = default) =>
        (await this.FetchX509SvidsAsync(cancellationToken))[0];

    /// <summary>Fetches every X509-SVID of the caller; of SVIDs sharing a hint only the first is kept.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVIDs, at least one.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<IReadOnlyList<X509Svid>> FetchX509SvidsAsync(CancellationToken cancellationToken = default) =>
        WorkloadApiResponses.ParseX509Svids(await this.FetchFirstAsync(X509SvidStream, this.StartX509Svid, cancellationToken));

    /// <summary>Fetches the caller's X509-SVIDs together with the X.509 bundles of its own and federated trust domains.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The context.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<X509Context> FetchX509ContextAsync(CancellationToken cancellationToken = default) =>
        WorkloadApiResponses.ParseX509Context(await this.FetchFirstAsync(X509SvidStream, this.StartX509Svid, cancellationToken));

    /// <summary>Watches the X.509 context until cancelled or a non-retryable error.</summary>
    /// <param name="watcher">Receives updates and errors.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchX509ContextAsync(IX509ContextWatcher watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return this.WatchX509ContextAsync(watcher.OnX509ContextUpdate, watcher.OnX509ContextWatchError, cancellationToken);
    }

    /// <summary>Watches the X.509 context until cancelled or a non-retryable error.</summary>
    /// <param name="onUpdate">Called with each new context, in order.</param>
    /// <param name="onError">Called with each failure before the watch retries or stops.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchX509ContextAsync(Action<X509Context> onUpdate, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        this.WatchAsync(X509SvidStream, this.StartX509Svid, WorkloadApiResponses.ParseX509Context, onUpdate, onError, cancellationToken);

    /// <summary>Fetches the X.509 bundles of the caller's own and federated trust domains.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundles, at least one.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<X509BundleSet> FetchX509BundlesAsync(CancellationToken cancellationToken = default) =>
        WorkloadApiResponses.ParseX509Bundles(await this.FetchFirstAsync(X509BundlesStream, this.StartX509Bundles, cancellationToken));

    /// <summary>Watches the X.509 bundles until cancelled or a non-retryable error.</summary>
    /// <param name="watcher">Receives updates and errors.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchX509BundlesAsync(IX509BundlesWatcher watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return this.WatchX509BundlesAsync(watcher.OnX509BundlesUpdate, watcher.OnX509BundlesWatchError, cancellationToken);
    }

    /// <summary>Watches the X.509 bundles until cancelled or a non-retryable error.</summary>
    /// <param name="onUpdate">Called with each new bundle set, in order.</param>
    /// <param name="onError">Called with each failure before the watch retries or stops.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchX509BundlesAsync(Action<X509BundleSet> onUpdate, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        this.WatchAsync(X509BundlesStream, this.StartX509Bundles, WorkloadApiResponses.ParseX509Bundles, onUpdate, onError, cancellationToken);

    /// <summary>
    /// Fetches a JWT-SVID for the given audience. With <paramref name="subject"/> null the endpoint chooses the
    /// caller's default identity; the first SVID returned is used.
    /// </summary>
    /// <param name="audience">The audience; required.</param>
    /// <param name="extraAudiences">More audiences to put in <c>aud</c>.</param>
    /// <param name="subject">The SPIFFE ID to get a token for, when the caller has several.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVID, parsed without signature verification (it comes from the trusted endpoint).</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<JwtSvid> FetchJwtSvidAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default) =>
        (await this.FetchJwtSvidsAsync(audience, extraAudiences, subject, cancellationToken))[0];

    /// <summary>Fetches JWT-SVIDs for the given audience: one per identity of the caller, or only <paramref name="subject"/>'s.</summary>
    /// <param name="audience">The audience; required.</param>
    /// <param name="extraAudiences">More audiences to put in <c>aud</c>.</param>
    /// <param name="subject">The SPIFFE ID to get a token for; null for all of the caller's identities.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The SVIDs, at least one, parsed without signature verification.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<IReadOnlyList<JwtSvid>> FetchJwtSvidsAsync(
        string audience,
        IEnumerable<string>? extraAudiences = null,
        SpiffeId? subject = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        List<string> audiences = [audience, .. extraAudiences ?? []];
        if (subject is { IsZero: true })
        {
            throw new ArgumentException("the subject is the zero SPIFFE ID", nameof(subject));
        }

        var request = new JWTSVIDRequest { SpiffeId = subject?.ToString() ?? string.Empty };
        request.Audience.AddRange(audiences);
        var response = await this.CallAsync("FetchJWTSVID", options => this.client.FetchJWTSVIDAsync(request, options), cancellationToken);
        return WorkloadApiResponses.ParseJwtSvids(response, audiences, this.TimeProvider.GetUtcNow());
    }

    /// <summary>Fetches the JWT bundles of the caller's own and federated trust domains.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundles, at least one.</returns>
    /// <exception cref="WorkloadApiException">The call failed or the response is invalid.</exception>
    public async Task<JwtBundleSet> FetchJwtBundlesAsync(CancellationToken cancellationToken = default) =>
        WorkloadApiResponses.ParseJwtBundles(await this.FetchFirstAsync(JwtBundlesStream, this.StartJwtBundles, cancellationToken));

    /// <summary>Watches the JWT bundles until cancelled or a non-retryable error.</summary>
    /// <param name="watcher">Receives updates and errors.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchJwtBundlesAsync(IJwtBundlesWatcher watcher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        return this.WatchJwtBundlesAsync(watcher.OnJwtBundlesUpdate, watcher.OnJwtBundlesWatchError, cancellationToken);
    }

    /// <summary>Watches the JWT bundles until cancelled or a non-retryable error.</summary>
    /// <param name="onUpdate">Called with each new bundle set, in order.</param>
    /// <param name="onError">Called with each failure before the watch retries or stops.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <returns>A task that ends with <see cref="OperationCanceledException"/> when cancelled.</returns>
    /// <exception cref="WorkloadApiException">The endpoint returned <see cref="StatusCode.InvalidArgument"/> or <see cref="StatusCode.Cancelled"/>.</exception>
    public Task WatchJwtBundlesAsync(Action<JwtBundleSet> onUpdate, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        this.WatchAsync(JwtBundlesStream, this.StartJwtBundles, WorkloadApiResponses.ParseJwtBundles, onUpdate, onError, cancellationToken);

    /// <summary>
    /// Asks the endpoint to validate a JWT-SVID for an audience (signature against the bundle of the token's trust
    /// domain, expiry, audience), then parses the token locally.
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="audience">The audience the token must carry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The validated SVID.</returns>
    /// <exception cref="WorkloadApiException">The endpoint rejected the token (<see cref="StatusCode.InvalidArgument"/>) or the call failed.</exception>
    public async Task<JwtSvid> ValidateJwtSvidAsync(string token, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var request = new ValidateJWTSVIDRequest { Svid = token, Audience = audience };
        var response = await this.CallAsync("ValidateJWTSVID", options => this.client.ValidateJWTSVIDAsync(request, options), cancellationToken);
        return WorkloadApiResponses.ParseValidatedJwtSvid(response, token, audience, this.TimeProvider.GetUtcNow());
    }

    /// <summary>Closes the connection. Calls in progress fail; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) == 0)
        {
            this.channel.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private AsyncServerStreamingCall<X509SVIDResponse> StartX509Svid(CallOptions options) =>
        this.client.FetchX509SVID(new X509SVIDRequest(), options);

    private AsyncServerStreamingCall<X509BundlesResponse> StartX509Bundles(CallOptions options) =>
        this.client.FetchX509Bundles(new X509BundlesRequest(), options);

    private AsyncServerStreamingCall<JWTBundlesResponse> StartJwtBundles(CallOptions options) =>
        this.client.FetchJWTBundles(new JWTBundlesRequest(), options);

    private async Task<TResponse> CallAsync<TResponse>(string method, Func<CallOptions, AsyncUnaryCall<TResponse>> start, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(this.disposed != 0, this);
        try
        {
            using var call = start(new CallOptions(cancellationToken: cancellationToken));
            return await call.ResponseAsync;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure(method + " call", ex);
        }
    }

    private async Task<TResponse> FetchFirstAsync<TResponse>(string stream, Func<CallOptions, AsyncServerStreamingCall<TResponse>> start, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(this.disposed != 0, this);
        try
        {
            using var call = start(new CallOptions(cancellationToken: cancellationToken));
            return await call.ResponseStream.MoveNext(cancellationToken)
                ? call.ResponseStream.Current
                : throw new WorkloadApiException($"the Workload API ended the {stream} stream without a response");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Failure(stream + " fetch", ex);
        }
    }

    private async Task WatchAsync<TResponse, TValue>(
        string stream,
        Func<CallOptions, AsyncServerStreamingCall<TResponse>> start,
        Func<TResponse, TValue> parse,
        Action<TValue> onUpdate,
        Action<Exception>? onError,
        CancellationToken cancellationToken,
        bool stopOnUnimplemented = false)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        ObjectDisposedException.ThrowIf(this.disposed != 0, this);
        var backoff = new LinearBackoff();
        while (true)
        {
            WorkloadApiException failure;
            try
            {
                using var call = start(new CallOptions(cancellationToken: cancellationToken));
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    backoff.Reset();
                    TValue value;
                    try
                    {
                        value = parse(call.ResponseStream.Current);
                    }
                    catch (WorkloadApiException ex)
                    {
                        this.logger.InvalidResponse(stream, ex);
                        onError?.Invoke(ex);
                        continue;
                    }

                    onUpdate(value);
                }

                failure = new WorkloadApiException($"the Workload API ended the {stream} stream");
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }
            catch (RpcException ex)
            {
                failure = Failure(stream + " watch", ex);
            }

            onError?.Invoke(failure);
            if (failure.StatusCode is StatusCode.InvalidArgument or StatusCode.Cancelled
                || (stopOnUnimplemented && failure.StatusCode == StatusCode.Unimplemented))
            {
                this.logger.WatchStopped(stream, failure);
                throw failure;
            }

            var delay = backoff.Next();
            this.logger.WatchFailed(stream, delay, failure);
            await Task.Delay(delay, this.TimeProvider, cancellationToken);
        }
    }

    private static WorkloadApiException Failure(string what, RpcException ex) =>
        new($"Workload API {what} failed: {ex.StatusCode}: {ex.Status.Detail}", ex);
}
