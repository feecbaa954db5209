namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>The JSON document of <c>revocations.json</c>.</summary>
internal sealed record PersistedRevocations(int Version, IReadOnlyList<RevokedCredential> Revoked)
{
    /// <summary>The only version written and read.</summary>
    public const int CurrentVersion = 1;
}
