namespace Spiffe.Agent.Tasks.Revocation;

/// <summary>An update of the revocation list, as <see cref="RevocationList.Watch"/> streams it.</summary>
internal sealed record RevocationEvent(RevocationEventKind Kind, IReadOnlyList<RevokedCredential> Credentials);
