using Grpc.Core;
using Grpc.Core.Interceptors;
using Spiffe.Core;
using Spiffe.Proto.Agent.Proof.V1;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// Checks the mandatory fields of the unary Workload API requests after the security header and before attestation,
/// as SPIRE's handlers do: <c>FetchJWTSVID</c> needs an audience and, when given, a valid <c>spiffe_id</c>;
/// <c>ValidateJWTSVID</c> needs an audience and a token. <c>FetchWITSVID</c> and the oracle's <c>CreateProof</c> need a
/// valid <c>spiffe_id</c> when given, and <c>CreateProof</c> an absolute http(s) <c>target_uri</c> without user info,
/// query or fragment. Each failure is <c>InvalidArgument</c>.
/// </summary>
internal sealed class RequestValidationInterceptor : Interceptor
{
    /// <summary>The status message when no audience is given.</summary>
    public const string AudienceRequiredMessage = "audience must be specified";

    /// <summary>The status message when <c>ValidateJWTSVID</c> gets no token.</summary>
    public const string SvidRequiredMessage = "svid must be specified";

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (request is WITSVIDRequest wit)
        {
            CheckSpiffeId(wit.SpiffeId);
        }

        return continuation(request, responseStream, context);
    }

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        switch (request)
        {
            case JWTSVIDRequest fetch:
                Check(fetch);
                break;
            case ValidateJWTSVIDRequest validate:
                Check(validate);
                break;
            case CreateProofRequest proof:
                Check(proof);
                break;
            default:
                break;
        }

        return continuation(request, context);
    }

    private static void Check(JWTSVIDRequest request)
    {
        if (request.Audience.Count == 0 || request.Audience.Any(string.IsNullOrEmpty))
        {
            throw InvalidArgument(AudienceRequiredMessage);
        }

        CheckSpiffeId(request.SpiffeId);
    }

    private static void Check(CreateProofRequest request)
    {
        var target = request.TargetUri;
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0
            || uri.UserInfo.Length > 0
            || target.AsSpan().IndexOfAny('?', '#') >= 0)
        {
            throw InvalidArgument($"invalid target_uri \"{target}\": it must be an absolute http(s) URI without user info, query or fragment");
        }

        CheckSpiffeId(request.SpiffeId);
    }

    private static void CheckSpiffeId(string spiffeId)
    {
        if (spiffeId.Length > 0 && !SpiffeId.TryParse(spiffeId, out _))
        {
            throw InvalidArgument($"invalid requested SPIFFE ID: \"{spiffeId}\" is not a valid SPIFFE ID");
        }
    }

    private static void Check(ValidateJWTSVIDRequest request)
    {
        if (request.Audience.Length == 0)
        {
            throw InvalidArgument(AudienceRequiredMessage);
        }

        if (request.Svid.Length == 0)
        {
            throw InvalidArgument(SvidRequiredMessage);
        }
    }

    private static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));
}
