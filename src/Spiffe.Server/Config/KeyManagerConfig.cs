namespace Spiffe.Server.Config;

/// <summary>The <c>KeyManager</c> plugin block.</summary>
/// <param name="Kind">disk or memory.</param>
/// <param name="KeysPath">For disk: the key file (SPIRE's <c>keys_path</c>); null for memory.</param>
internal sealed record KeyManagerConfig(KeyManagerKind Kind, string? KeysPath);
