namespace Spiffe.Server.Config;

/// <summary>The CA certificate subject (<c>server.ca_subject</c>); SPIRE's default is C=US, O=SPIFFE.</summary>
internal sealed record CaSubject
{
    /// <summary>Country (C) values.</summary>
    public IReadOnlyList<string> Country { get; init; } = ["US"];

    /// <summary>Organization (O) values.</summary>
    public IReadOnlyList<string> Organization { get; init; } = ["SPIFFE"];

    /// <summary>Common name (CN); empty = none.</summary>
    public string CommonName { get; init; } = string.Empty;
}
