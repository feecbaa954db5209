using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spiffe.Agent.Core.Wit;
using Spiffe.Agent.Core.Workload;
using Spiffe.Core;
using Spiffe.Testing;

namespace Spiffe.Agent.Core.Tests.Wit;

/// <summary>
/// <c>BatchNewWITSVID</c> by hand: signs a WIT-SVID for each request with a <see cref="TestWitIssuer"/> key, binding
/// the request's public key and algorithm, for the SPIFFE ID of the entry registered with <see cref="Entries"/>.
/// Knobs make it misbehave the ways a server could.
/// </summary>
internal sealed class FakeWitSigner : IWitSvidSigner
{
    private readonly FakeTimeProvider _time;

    public FakeWitSigner(FakeTimeProvider time, TrustDomain trustDomain)
    {
        _time = time;
        Issuer = new TestWitIssuer(trustDomain);
    }

    public TestWitIssuer Issuer { get; }

    public Dictionary<string, RegistrationEntry> Entries { get; } = new(StringComparer.Ordinal);

    public List<IReadOnlyList<WitSvidMintRequest>> Batches { get; } = [];

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    public SpiffeId? SubjectOverride { get; set; }

    public bool IncludeJti { get; set; } = true;

    public Task<IReadOnlyList<WitSvidMintResult>> BatchNewWitSvidAsync(IReadOnlyList<WitSvidMintRequest> requests, CancellationToken cancellationToken)
    {
        Batches.Add(requests);
        IReadOnlyList<WitSvidMintResult> results = [.. requests.Select(Sign)];
        return Task.FromResult(results);
    }

    private WitSvidMintResult Sign(WitSvidMintRequest request)
    {
        var now = _time.GetUtcNow();
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(request.PublicKey.Span, out _);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = (SubjectOverride ?? Entries[request.EntryId].SpiffeId).ToString(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["cnf"] = new Dictionary<string, JsonElement> { ["jwk"] = JsonDocument.Parse(WitConfirmationKey.Create(publicKey, request.SigningAlgorithm).Jwk).RootElement },
        };
        if (IncludeJti)
        {
            claims["jti"] = Guid.NewGuid().ToString("N");
        }

        return new WitSvidMintResult(request.EntryId, Issuer.CreateToken(Issuer.Header, JsonSerializer.Serialize(claims)), null);
    }
}
