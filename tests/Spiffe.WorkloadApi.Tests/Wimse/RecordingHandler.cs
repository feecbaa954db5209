using System.Collections.Concurrent;
using System.Net;

namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>An innermost HTTP handler that records each request's URI and headers and answers 200.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    public ConcurrentQueue<(Uri Uri, Dictionary<string, string[]> Headers)> Requests { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
        this.Requests.Enqueue((request.RequestUri!, headers));
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
