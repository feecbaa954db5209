namespace Spiffe.WorkloadApi;

/// <summary>Settings shared by <see cref="X509Source"/>, <see cref="JwtSource"/> and <see cref="BundleSource"/>.</summary>
public class WorkloadApiSourceOptions
{
    /// <summary>
    /// A client to use. The source does not dispose it, so several sources can share one connection. When null, the
    /// source creates (and disposes) its own client from <see cref="ClientOptions"/>.
    /// </summary>
    public WorkloadApiClient? Client { get; set; }

    /// <summary>Settings for the client the source creates when <see cref="Client"/> is null.</summary>
    public WorkloadApiClientOptions? ClientOptions { get; set; }
}
