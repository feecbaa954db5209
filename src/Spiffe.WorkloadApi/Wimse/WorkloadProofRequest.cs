namespace Spiffe.WorkloadApi;

/// <summary>What an <see cref="IWorkloadProofProvider"/> needs to know about one outgoing request.</summary>
public sealed class WorkloadProofRequest
{
    /// <summary>The request's target URI without user info, query or fragment (for example <c>https://tool.example/items</c>); the proof's <c>aud</c>.</summary>
    public required string TargetUri { get; init; }

    /// <summary>The HTTP method, for audit; the proof does not bind it.</summary>
    public required string Method { get; init; }

    /// <summary>The credentials of the request's <c>Authorization</c> header, bound as <c>ath</c>; null when it has none.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The request's <c>Txn-Token</c> header value, bound as <c>tth</c>; null when it has none.</summary>
    public string? TransactionToken { get; init; }

    /// <summary>Other context tokens of the request by header name, bound as <c>oth</c>; null or empty when none.</summary>
    public IReadOnlyDictionary<string, string>? OtherTokens { get; init; }
}
