using Spiffe.Core;

namespace Spiffe.WorkloadApi;

/// <summary>
/// An <see cref="HttpClient"/> handler that authenticates every outgoing request with a WIT and a fresh Workload
/// Proof Token: it asks the <see cref="IWorkloadProofProvider"/> for credentials bound to the request's target URI
/// (without user info, query or fragment) and to its <c>Authorization</c> credentials (<c>ath</c>),
/// <c>Txn-Token</c> (<c>tth</c>) and configured other token headers (<c>oth</c>), then sets the
/// <c>Workload-Identity-Token</c> and <c>Workload-Proof-Token</c> headers, replacing any already there. The WIT is
/// never sent in <c>Authorization</c>. Use it over TLS (for example with <see cref="SpiffeHttpHandler"/> as the
/// inner handler): the proof does not protect the body or other headers.
/// </summary>
public sealed class WorkloadProofHandler : DelegatingHandler
{
    private readonly IWorkloadProofProvider provider;
    private readonly string[] otherTokenHeaders;

    /// <summary>Creates a handler; set <see cref="DelegatingHandler.InnerHandler"/> or add it to an <c>IHttpClientBuilder</c>.</summary>
    /// <param name="provider">Supplies the credentials for each request.</param>
    /// <param name="otherTokenHeaders">Names of request headers that carry other context tokens to bind as <c>oth</c>.</param>
    public WorkloadProofHandler(IWorkloadProofProvider provider, IEnumerable<string>? otherTokenHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        this.provider = provider;
        this.otherTokenHeaders = [.. otherTokenHeaders ?? []];
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The request has no absolute URI, or a context token header appears more than once.</exception>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            throw new InvalidOperationException("the request needs an absolute URI to be proven");
        }

        var others = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in this.otherTokenHeaders)
        {
            if (SingleHeader(request, name) is { } value)
            {
                others[name] = value;
            }
        }

        var proof = await this.provider.CreateProofAsync(
            new WorkloadProofRequest
            {
                TargetUri = TargetUriOf(uri),
                Method = request.Method.Method,
                AccessToken = request.Headers.Authorization?.Parameter,
                TransactionToken = SingleHeader(request, WorkloadProofContext.TransactionTokenHeaderName),
                OtherTokens = others,
            },
            cancellationToken);

        request.Headers.Remove(WorkloadProofToken.WitHeaderName);
        request.Headers.Remove(WorkloadProofToken.HeaderName);
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.WitHeaderName, proof.Wit);
        request.Headers.TryAddWithoutValidation(WorkloadProofToken.HeaderName, proof.Proof);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The request's target URI as a proof audience: scheme, host, port unless default, and escaped path.</summary>
    private static string TargetUriOf(Uri uri) => uri.Scheme + "://" + uri.Authority + uri.AbsolutePath;

    private static string? SingleHeader(HttpRequestMessage request, string name)
    {
        if (!request.Headers.TryGetValues(name, out var values))
        {
            return null;
        }

        var list = values.ToList();
        return list.Count == 1
            ? list[0]
            : throw new InvalidOperationException($"the request has {list.Count} \"{name}\" headers; a bound context token must appear once");
    }
}
