namespace Spiffe.Server.AdminApi;

/// <summary>
/// Marks the copies of the admin gRPC endpoints served on the agent-facing TLS listener (for admin SVIDs); see
/// <see cref="AdminOverTlsMatcherPolicy"/>.
/// </summary>
internal sealed class AdminOverTlsMetadata
{
    private AdminOverTlsMetadata()
    {
    }

    /// <summary>The marker.</summary>
    public static AdminOverTlsMetadata Instance { get; } = new();
}
