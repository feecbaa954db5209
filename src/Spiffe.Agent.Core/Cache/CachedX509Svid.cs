using Spiffe.Core;

namespace Spiffe.Agent.Core.Cache;

/// <summary>A workload X509-SVID in the cache, with the entry revision it was minted for and its last use.</summary>
internal sealed class CachedX509Svid
{
    /// <summary>Wraps a freshly minted SVID.</summary>
    public CachedX509Svid(X509Svid svid, long entryRevision, DateTimeOffset lastAccess)
    {
        Svid = svid ?? throw new ArgumentNullException(nameof(svid));
        EntryRevision = entryRevision;
        NotBefore = svid.Certificates[0].NotBefore;
        NotAfter = svid.Certificates[0].NotAfter;
        LastAccess = lastAccess;
    }

    /// <summary>The SVID.</summary>
    public X509Svid Svid { get; }

    /// <summary>The entry's revision number when the SVID was minted; a different current revision makes it stale.</summary>
    public long EntryRevision { get; }

    /// <summary>The leaf's NotBefore.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The leaf's NotAfter.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>When a subscriber last received it (LRU eviction order).</summary>
    public DateTimeOffset LastAccess { get; set; }
}
