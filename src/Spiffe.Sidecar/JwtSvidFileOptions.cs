namespace Spiffe.Sidecar;

/// <summary>One <c>jwt_svids</c> entry: a JWT-SVID to keep written to a file.</summary>
/// <param name="Audience">The <c>jwt_audience</c>.</param>
/// <param name="ExtraAudiences">The <c>jwt_extra_audiences</c>.</param>
/// <param name="FileName">The <c>jwt_svid_file_name</c>, relative to the certificate directory.</param>
internal sealed record JwtSvidFileOptions(string Audience, IReadOnlyList<string> ExtraAudiences, string FileName);
