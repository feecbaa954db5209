using Google.Protobuf;
using Google.Protobuf.Collections;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// Maps Workload API responses to Spiffe.Core types, validating everything on the way (parse = validate): every
/// X509-SVID through <see cref="X509Svid.ParseRaw"/>, bundles from concatenated DER or JWKS, trust domains from
/// map keys (<c>spiffe://td</c> or <c>td</c>). A response that breaks a rule is rejected as a whole.
/// </summary>
internal static class WorkloadApiResponses
{
    public static IReadOnlyList<X509Svid> ParseX509Svids(X509SVIDResponse response)
    {
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException("invalid X509-SVID response: it holds no SVIDs");
        }

        var svids = new List<X509Svid>(response.Svids.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < response.Svids.Count; i++)
        {
            var item = response.Svids[i];
            if (item.Hint.Length > 0 && !hints.Add(item.Hint))
            {
                continue;
            }

            X509Svid svid;
            try
            {
                svid = X509Svid.ParseRaw(item.X509Svid.Span, item.X509SvidKey.Span, item.Hint);
            }
            catch (X509SvidException ex)
            {
                throw new WorkloadApiException($"invalid X509-SVID response: SVID {i} (\"{item.SpiffeId}\"): {ex.Message}", ex);
            }

            if (!string.Equals(svid.Id.ToString(), item.SpiffeId, StringComparison.Ordinal))
            {
                throw new WorkloadApiException($"invalid X509-SVID response: SVID {i}: spiffe_id \"{item.SpiffeId}\" differs from the certificate's ID \"{svid.Id}\"");
            }

            svids.Add(svid);
        }

        return svids;
    }

    public static X509Context ParseX509Context(X509SVIDResponse response)
    {
        var svids = ParseX509Svids(response);
        var bundles = new Dictionary<TrustDomain, X509Bundle>();
        foreach (var svid in response.Svids)
        {
            var trustDomain = ParseTrustDomain(svid.SpiffeId, "X509-SVID");
            if (!bundles.ContainsKey(trustDomain))
            {
                bundles.Add(trustDomain, ParseX509Bundle(trustDomain, svid.Bundle, "X509-SVID"));
            }
        }

        foreach (var (key, value) in response.FederatedBundles)
        {
            var trustDomain = ParseTrustDomain(key, "X509-SVID");
            if (!bundles.ContainsKey(trustDomain))
            {
                bundles.Add(trustDomain, ParseX509Bundle(trustDomain, value, "X509-SVID"));
            }
        }

        return new X509Context(svids, new X509BundleSet(bundles.Values));
    }

    public static X509BundleSet ParseX509Bundles(X509BundlesResponse response)
    {
        var bundles = new Dictionary<TrustDomain, X509Bundle>();
        foreach (var (key, value) in NonEmpty(response.Bundles, "X.509 bundles"))
        {
            var trustDomain = ParseTrustDomain(key, "X.509 bundles");
            if (!bundles.ContainsKey(trustDomain))
            {
                bundles.Add(trustDomain, ParseX509Bundle(trustDomain, value, "X.509 bundles"));
            }
        }

        return new X509BundleSet(bundles.Values);
    }

    public static JwtBundleSet ParseJwtBundles(JWTBundlesResponse response)
    {
        var bundles = new Dictionary<TrustDomain, JwtBundle>();
        foreach (var (key, value) in NonEmpty(response.Bundles, "JWT bundles"))
        {
            var trustDomain = ParseTrustDomain(key, "JWT bundles");
            if (bundles.ContainsKey(trustDomain))
            {
                continue;
            }

            try
            {
                bundles.Add(trustDomain, JwtBundle.Parse(trustDomain, value.Span));
            }
            catch (BundleException ex)
            {
                throw new WorkloadApiException($"invalid JWT bundles response: bundle \"{key}\": {ex.Message}", ex);
            }
        }

        return new JwtBundleSet(bundles.Values);
    }

    public static IReadOnlyList<JwtSvid> ParseJwtSvids(JWTSVIDResponse response, IReadOnlyList<string> audience, DateTimeOffset now)
    {
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException("invalid JWT-SVID response: it holds no SVIDs");
        }

        var svids = new List<JwtSvid>(response.Svids.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < response.Svids.Count; i++)
        {
            var item = response.Svids[i];
            if (item.Hint.Length > 0 && !hints.Add(item.Hint))
            {
                continue;
            }

            JwtSvid svid;
            try
            {
                svid = JwtSvid.ParseInsecure(item.Svid, audience, now, item.Hint);
            }
            catch (JwtSvidException ex)
            {
                throw new WorkloadApiException($"invalid JWT-SVID response: SVID {i} (\"{item.SpiffeId}\"): {ex.Message}", ex);
            }

            if (!string.Equals(svid.Id.ToString(), item.SpiffeId, StringComparison.Ordinal))
            {
                throw new WorkloadApiException($"invalid JWT-SVID response: SVID {i}: spiffe_id \"{item.SpiffeId}\" differs from the token's sub \"{svid.Id}\"");
            }

            svids.Add(svid);
        }

        return svids;
    }

    public static JwtSvid ParseValidatedJwtSvid(ValidateJWTSVIDResponse response, string token, string audience, DateTimeOffset now)
    {
        JwtSvid svid;
        try
        {
            svid = JwtSvid.ParseInsecure(token, [audience], now);
        }
        catch (JwtSvidException ex)
        {
            throw new WorkloadApiException("the Workload API accepted a token that does not parse as a JWT-SVID: " + ex.Message, ex);
        }

        return string.Equals(svid.Id.ToString(), response.SpiffeId, StringComparison.Ordinal)
            ? svid
            : throw new WorkloadApiException($"invalid ValidateJWTSVID response: spiffe_id \"{response.SpiffeId}\" differs from the token's sub \"{svid.Id}\"");
    }

    private static MapField<string, TValue> NonEmpty<TValue>(MapField<string, TValue> map, string what) =>
        map.Count > 0 ? map : throw new WorkloadApiException($"invalid {what} response: it holds no bundles");

    private static TrustDomain ParseTrustDomain(string value, string what)
    {
        try
        {
            return TrustDomain.Parse(value);
        }
        catch (SpiffeIdException ex)
        {
            throw new WorkloadApiException($"invalid {what} response: {ex.Message}", ex);
        }
    }

    private static X509Bundle ParseX509Bundle(TrustDomain trustDomain, ByteString der, string what)
    {
        try
        {
            return X509Bundle.ParseRaw(trustDomain, der.Span);
        }
        catch (BundleException ex)
        {
            throw new WorkloadApiException($"invalid {what} response: bundle of \"{trustDomain}\": {ex.Message}", ex);
        }
    }
}
