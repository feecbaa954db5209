using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Spiffe.Core;

namespace Spiffe.WorkloadApi.Internal;

/// <summary>
/// What TLS needs to present an X509-SVID, built once per SVID instance and kept as long as the SVID lives: the
/// leaf with its private key (for selection callbacks) and a certificate context that also carries the
/// intermediates (so that peers receive the whole chain).
/// </summary>
internal sealed class SvidCredentials
{
    private static readonly ConditionalWeakTable<X509Svid, SvidCredentials> Cache = [];

    private SvidCredentials(X509Svid svid)
    {
        this.Leaf = svid.CopyLeafWithPrivateKey();
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < svid.Certificates.Count; i++)
        {
            intermediates.Add(svid.Certificates[i]);
        }

        this.Context = SslStreamCertificateContext.Create(this.Leaf, intermediates, offline: true);
    }

    public X509Certificate2 Leaf { get; }

    public SslStreamCertificateContext Context { get; }

    public static SvidCredentials Get(X509Svid svid) => Cache.GetValue(svid, static s => new SvidCredentials(s));
}
