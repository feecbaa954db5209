namespace Spiffe.Server.Config;

/// <summary><c>NodeAttestor "x509pop"</c> (server side).</summary>
/// <param name="CaBundlePaths">PEM files with the CAs agent certificates must chain to (<c>ca_bundle_path</c> and/or <c>ca_bundle_paths</c>).</param>
/// <param name="AgentPathTemplate">Optional agent ID path template; null = <c>/spire/agent/x509pop/{{ .Fingerprint }}</c>.</param>
internal sealed record X509PopConfig(IReadOnlyList<string> CaBundlePaths, string? AgentPathTemplate);
