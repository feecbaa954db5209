using Grpc.Core;
using Grpc.Core.Interceptors;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>
/// Checks the mandatory fields of the unary Workload API requests after the security header and before attestation,
/// as SPIRE's handlers do: <c>FetchJWTSVID</c> needs an audience and, when given, a valid <c>spiffe_id</c>;
/// <c>ValidateJWTSVID</c> needs an audience and a token. Each failure is <c>InvalidArgument</c>.
/// </summary>
internal sealed class RequestValidationInterceptor : Interceptor
{
    /// <summary>The status message when no audience is given.</summary>
    public const string AudienceRequiredMessage = "audience must be specified";

    /// <summary>The status message when <c>ValidateJWTSVID</c> gets no token.</summary>
    public const string SvidRequiredMessage = "svid must be specified";

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

        if (request.SpiffeId.Length > 0 && !SpiffeId.TryParse(request.SpiffeId, out _))
        {
            throw InvalidArgument($"invalid requested SPIFFE ID: \"{request.SpiffeId}\" is not a valid SPIFFE ID");
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
