using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>
/// Authenticates the server the way SPIRE's agent does: the leaf must chain to the own trust domain's X.509 roots and
/// carry exactly the SPIFFE ID <c>spiffe://&lt;td&gt;/spire/server</c>; host names are not checked. During insecure
/// bootstrap (no roots) the chain is not verified but the leaf must still have exactly that one URI SAN.
/// </summary>
internal static class ServerCertificateValidator
{
    /// <summary>The SPIFFE ID every SPIRE-compatible server presents.</summary>
    public static SpiffeId ServerId(TrustDomain trustDomain) => SpiffeId.FromSegments(trustDomain, "spire", "server");

    /// <summary>Returns null when the server certificate is acceptable, otherwise the reason.</summary>
    /// <param name="leaf">The server's leaf certificate.</param>
    /// <param name="intermediates">The other certificates the server sent (the leaf, if repeated, is ignored).</param>
    /// <param name="trustBundle">The own trust domain's roots; null for insecure bootstrap.</param>
    /// <param name="trustDomain">The agent's trust domain.</param>
    /// <param name="now">The verification time.</param>
    public static string? Validate(
        X509Certificate2 leaf,
        IEnumerable<X509Certificate2> intermediates,
        X509Bundle? trustBundle,
        TrustDomain trustDomain,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        var expected = ServerId(trustDomain);
        if (trustBundle is null)
        {
            IReadOnlyList<string> uris;
            try
            {
                uris = UriSans.Read(leaf);
            }
            catch (AsnContentException ex)
            {
                return "server certificate has a malformed SubjectAltName: " + ex.Message;
            }

            return uris.Count == 1 && string.Equals(uris[0], expected.ToString(), StringComparison.Ordinal)
                ? null
                : $"server certificate must have exactly one URI SAN \"{expected}\"";
        }

        var chain = new List<X509Certificate2> { leaf };
        chain.AddRange(intermediates.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)));
        try
        {
            var result = X509SvidVerifier.Verify(chain, trustBundle, now);
            return result.Id == expected ? null : $"server SPIFFE ID is \"{result.Id}\", expected \"{expected}\"";
        }
        catch (X509SvidException ex)
        {
            return "server certificate is not trusted: " + ex.Message;
        }
    }
}
