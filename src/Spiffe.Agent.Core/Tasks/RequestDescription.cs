namespace Spiffe.Agent.Core.Tasks;

/// <summary>A Workload API request, for policy and audit. Absent values are empty.</summary>
/// <param name="Method">The method name, e.g. <c>FetchJWTSVID</c>.</param>
/// <param name="Audiences">Requested JWT audiences.</param>
/// <param name="SpiffeId">Requested SPIFFE ID.</param>
/// <param name="Intent">Declared intent (<c>x-spiffe-intent</c> metadata).</param>
/// <param name="DataClass">Declared data class (<c>x-spiffe-data-class</c> metadata).</param>
internal sealed record RequestDescription(string Method, IReadOnlyList<string> Audiences, string SpiffeId, string Intent, string DataClass);
