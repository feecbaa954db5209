using System.Security.Cryptography;
using Spiffe.Core;
using Spiffe.WorkloadApi.Proto;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>Maps and validates the Workload API's WIT responses.</summary>
internal static class WitResponses
{
    public static IReadOnlyList<WitSvidCredential> ParseWitSvids(WITSVIDResponse response, DateTimeOffset now)
    {
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException("invalid WIT-SVID response: it holds no SVIDs");
        }

        var credentials = new List<WitSvidCredential>(response.Svids.Count);
        var hints = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < response.Svids.Count; i++)
        {
            var item = response.Svids[i];
            if (item.Hint.Length > 0 && !hints.Add(item.Hint))
            {
                continue;
            }

            credentials.Add(ParseWitSvid(item, i, now));
        }

        return credentials;
    }

    public static WitBundleSet ParseWitBundles(WITBundlesResponse response)
    {
        if (response.Bundles.Count == 0)
        {
            throw new WorkloadApiException("invalid WIT bundles response: it holds no bundles");
        }

        var bundles = new Dictionary<TrustDomain, WitBundle>();
        foreach (var (key, value) in response.Bundles)
        {
            TrustDomain trustDomain;
            try
            {
                trustDomain = TrustDomain.Parse(key);
            }
            catch (SpiffeIdException ex)
            {
                throw new WorkloadApiException($"invalid WIT bundles response: {ex.Message}", ex);
            }

            if (bundles.ContainsKey(trustDomain))
            {
                continue;
            }

            try
            {
                bundles.Add(trustDomain, WitBundle.Parse(trustDomain, value));
            }
            catch (BundleException ex)
            {
                throw new WorkloadApiException($"invalid WIT bundles response: bundle \"{key}\": {ex.Message}", ex);
            }
        }

        return new WitBundleSet(bundles.Values);
    }

    private static WitSvidCredential ParseWitSvid(WITSVID item, int index, DateTimeOffset now)
    {
        WitSvid svid;
        try
        {
            svid = WitSvid.ParseInsecure(item.WitSvid, now, item.Hint);
        }
        catch (WitSvidException ex)
        {
            throw new WorkloadApiException($"invalid WIT-SVID response: SVID {index} (\"{item.SpiffeId}\"): {ex.Message}", ex);
        }

        if (!string.Equals(svid.Id.ToString(), item.SpiffeId, StringComparison.Ordinal))
        {
            throw new WorkloadApiException($"invalid WIT-SVID response: SVID {index}: spiffe_id \"{item.SpiffeId}\" differs from the token's sub \"{svid.Id}\"");
        }

        if (item.WitSvidKey.Length == 0)
        {
            return new WitSvidCredential(svid, null);
        }

        AsymmetricAlgorithm key;
        try
        {
            key = WitSvid.ParsePrivateKey(item.WitSvidKey);
        }
        catch (WitSvidException ex)
        {
            throw new WorkloadApiException($"invalid WIT-SVID response: SVID {index} (\"{item.SpiffeId}\"): wit_svid_key: {ex.Message}", ex);
        }

        if (!svid.ConfirmationKey.Matches(key))
        {
            key.Dispose();
            throw new WorkloadApiException($"invalid WIT-SVID response: SVID {index} (\"{item.SpiffeId}\"): wit_svid_key is not the key of the WIT's cnf.jwk");
        }

        return new WitSvidCredential(svid, key);
    }
}
