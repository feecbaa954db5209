namespace Spiffe.Core;

/// <summary>
/// What a Workload Proof Token binds: the audience (the HTTP target URI without query and fragment) and the
/// end-user or authorization context tokens the request carries. A sender describes the request it is about to
/// make; a verifier describes the request it received, with the audience taken from trusted configuration.
/// </summary>
public sealed class WorkloadProofContext
{
    /// <summary>The HTTP header that carries a transaction token, <c>Txn-Token</c>.</summary>
    public const string TransactionTokenHeaderName = "Txn-Token";

    /// <summary>
    /// The <c>aud</c> value: the target URI of the request without query or fragment (for example
    /// <c>https://tool.example/items</c>), or a deployment-specific value. A verifier must take it from trusted
    /// configuration, never from the request's <c>Host</c> or forwarding headers.
    /// </summary>
    public required string Audience { get; init; }

    /// <summary>The OAuth access token the request presents (the credentials of its <c>Authorization</c> header), bound as <c>ath</c>.</summary>
    public string? AccessToken { get; init; }

    /// <summary>The transaction token the request presents in <c>Txn-Token</c>, bound as <c>tth</c>.</summary>
    public string? TransactionToken { get; init; }

    /// <summary>
    /// Other context tokens the request presents, by header field name (compared in lower case), bound as
    /// <c>oth</c>. A verifier lists only the headers it understands and the request carries.
    /// </summary>
    public IReadOnlyDictionary<string, string>? OtherTokens { get; init; }
}
