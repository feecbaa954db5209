using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Spiffe.Core;

namespace Spiffe.Agent.Endpoints.Services;

/// <summary>
/// Turns a validated JWT-SVID's claims into the <c>google.protobuf.Struct</c> of <c>ValidateJWTSVIDResponse</c> as
/// SPIRE does: <c>aud</c> is always a list; numbers become doubles; tokens of another trust domain keep only
/// <c>sub</c>, <c>exp</c>, <c>aud</c> and the operator's allowed foreign claims.
/// </summary>
internal static class JwtClaimsConverter
{
    private static readonly string[] ForeignClaims = ["sub", "exp", "aud"];

    /// <summary>Builds the claims struct of <paramref name="svid"/>.</summary>
    public static Struct ToStruct(JwtSvid svid, TrustDomain ownTrustDomain, IReadOnlyCollection<string> allowedForeignClaims)
    {
        ArgumentNullException.ThrowIfNull(svid);
        ArgumentNullException.ThrowIfNull(allowedForeignClaims);
        var foreign = svid.Id.TrustDomain != ownTrustDomain;
        var result = new Struct();
        foreach (var (name, value) in svid.Claims)
        {
            if (foreign && !ForeignClaims.Contains(name, StringComparer.Ordinal) && !allowedForeignClaims.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            result.Fields[name] = name == "aud" && value.ValueKind == JsonValueKind.String
                ? Value.ForList(Value.ForString(value.GetString()!))
                : ToValue(value);
        }

        return result;
    }

    private static Value ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Value.ForStruct(ToStruct(element)),
        JsonValueKind.Array => Value.ForList([.. element.EnumerateArray().Select(ToValue)]),
        JsonValueKind.String => Value.ForString(element.GetString()!),
        JsonValueKind.Number => Value.ForNumber(element.GetDouble()),
        JsonValueKind.True => Value.ForBool(true),
        JsonValueKind.False => Value.ForBool(false),
        _ => Value.ForNull(),
    };

    private static Struct ToStruct(JsonElement element)
    {
        var result = new Struct();
        foreach (var property in element.EnumerateObject())
        {
            result.Fields[property.Name] = ToValue(property.Value);
        }

        return result;
    }
}
