namespace Spiffe.Agent.Tasks.Policy;

/// <summary>The request, as CEL sees it under <c>request</c>. Absent values are empty strings or lists.</summary>
/// <param name="Method">API method, e.g. <c>FetchJWTSVID</c>.</param>
/// <param name="Audiences">Requested JWT audiences.</param>
/// <param name="SpiffeId">Requested SPIFFE ID.</param>
/// <param name="Intent">Declared intent, e.g. <c>read</c>.</param>
/// <param name="DataClass">Declared data class, e.g. <c>public</c>, <c>confidential</c>.</param>
internal sealed record RequestFacts(
    string Method,
    IReadOnlyList<string> Audiences,
    string SpiffeId,
    string Intent,
    string DataClass);
