using Spiffe.Agent.Core.Wit;

namespace Spiffe.Agent.Endpoints.Wit;

/// <summary>
/// What the Workload API endpoint uses to serve WIT-SVIDs and the signing oracle; registered by the composition root
/// (absent when WIT-SVIDs are not configured, and then <c>FetchWITSVID</c>, <c>FetchWITBundles</c> and
/// <c>CreateProof</c> answer <c>Unimplemented</c>).
/// </summary>
internal sealed class WitEndpointServices
{
    /// <summary>Creates the bundle of WIT services.</summary>
    public WitEndpointServices(IWitSvidCache cache, WitOptions options)
    {
        Cache = cache ?? throw new ArgumentNullException(nameof(cache));
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>The WIT-SVIDs by workload.</summary>
    public IWitSvidCache Cache { get; }

    /// <summary>The WIT and oracle settings.</summary>
    public WitOptions Options { get; }
}
