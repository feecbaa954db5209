using System.Net.Http.Headers;
using Spiffe.WorkloadApi;

namespace JwtApi.Caller;

/// <summary>Calls an API with a JWT-SVID as the bearer token.</summary>
public static class JwtApiCaller
{
    /// <summary>Fetches a JWT-SVID for <paramref name="audience"/> and sends <c>GET <paramref name="api"/></c> with it.</summary>
    /// <param name="workloadApi">The Workload API client.</param>
    /// <param name="http">The HTTP client.</param>
    /// <param name="api">The address to call.</param>
    /// <param name="audience">The audience the API expects (its own name).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The API's response.</returns>
    /// <exception cref="WorkloadApiException">The Workload API refused to issue a token (for example: no registration entry).</exception>
    public static async Task<HttpResponseMessage> CallAsync(
        WorkloadApiClient workloadApi,
        HttpClient http,
        Uri api,
        string audience,
        CancellationToken cancellationToken = default)
    {
        // A JWT-SVID names who may accept it (the audience) and lives minutes: fetch one per call rather than keeping
        // it; the agent caches tokens, so this is cheap.
        var svid = await workloadApi.FetchJwtSvidAsync(audience, cancellationToken: cancellationToken);

        using var request = new HttpRequestMessage(HttpMethod.Get, api);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", svid.Token);
        return await http.SendAsync(request, cancellationToken);
    }
}
