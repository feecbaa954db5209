namespace Spiffe.Agent.Core.Wit;

/// <summary>
/// The server call that signs WIT-SVIDs (<c>SVID.BatchNewWITSVID</c>, agent mTLS), implemented by
/// Spiffe.Agent.ServerApi. Same deadline and error mapping as <see cref="Server.ISpireServerClient"/>.
/// </summary>
internal interface IWitSvidSigner
{
    /// <summary>Signs one WIT-SVID per request. Per-entry failures are results, not exceptions; results are in request order.</summary>
    /// <exception cref="Server.SpireServerException">The call failed.</exception>
    Task<IReadOnlyList<WitSvidMintResult>> BatchNewWitSvidAsync(IReadOnlyList<WitSvidMintRequest> requests, CancellationToken cancellationToken);
}
