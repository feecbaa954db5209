using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>A gRPC channel and the client certificate copy it owns; disposing closes both.</summary>
internal sealed class OwnedChannel : IDisposable
{
    /// <summary>Takes ownership of the channel and the certificate.</summary>
    public OwnedChannel(GrpcChannel channel, X509Certificate2? clientCertificate)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Channel = channel;
        ClientCertificate = clientCertificate;
    }

    /// <summary>The channel.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The leaf-with-key copy presented for mTLS, or null.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>Closes the channel's connections and releases the certificate.</summary>
    public void Dispose()
    {
        Channel.Dispose();
        ClientCertificate?.Dispose();
    }
}
