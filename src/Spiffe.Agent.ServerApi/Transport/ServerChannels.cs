using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Spiffe.Agent.Core;
using Spiffe.Agent.Core.Server;
using Spiffe.Core;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>
/// gRPC over TLS to <c>server_address:server_port</c>. The server is authenticated by
/// <see cref="ServerCertificateValidator"/> against the credential source's current roots; agent calls present the
/// current agent SVID (leaf + intermediates). When the SVID changes the shared connection is replaced; the previous one
/// stays open until the next replacement so calls in flight can finish.
/// </summary>
internal sealed class ServerChannels : IServerChannels, IDisposable
{
    private const int MaxReceiveMessageSize = 64 * 1024 * 1024;

    private readonly AgentOptions _options;
    private readonly IAgentCredentialSource _credentials;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ServerChannels> _logger;
    private readonly Uri _address;
    private readonly Lock _lock = new();
    private X509Svid? _svid;
    private OwnedChannel? _current;
    private OwnedChannel? _retired;
    private bool _disposed;

    /// <summary>Creates the channel factory.</summary>
    public ServerChannels(AgentOptions options, IAgentCredentialSource credentials, TimeProvider timeProvider, ILogger<ServerChannels> logger)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _address = new UriBuilder(Uri.UriSchemeHttps, options.ServerAddress, options.ServerPort).Uri;
    }

    /// <inheritdoc/>
    public AttestationChannel OpenAttestationChannel()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var channel = CreateChannel(null);
        return new AttestationChannel(channel.Channel.CreateCallInvoker(), channel);
    }

    /// <inheritdoc/>
    public CallInvoker GetAgentInvoker()
    {
        var svid = _credentials.AgentSvid ?? throw new InvalidOperationException("the agent has no SVID yet");
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is null || !ReferenceEquals(svid, _svid))
            {
                _retired?.Dispose();
                _retired = _current;
                _current = CreateChannel(svid);
                _svid = svid;
                ServerApiLog.AgentConnectionCreated(_logger, svid.Id);
            }

            return _current.Channel.CreateCallInvoker();
        }
    }

    /// <summary>
    /// Opens a connection presenting <paramref name="svid"/> as the client certificate (the agent's admin identity for
    /// Entry admin calls); the server is authenticated as for every other call. The caller disposes it.
    /// </summary>
    public OwnedChannel OpenChannel(X509Svid svid)
    {
        ArgumentNullException.ThrowIfNull(svid);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return CreateChannel(svid);
    }

    /// <summary>Closes all connections.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _retired?.Dispose();
            _current?.Dispose();
            _retired = null;
            _current = null;
        }
    }

    private OwnedChannel CreateChannel(X509Svid? svid)
    {
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = _options.ServerAddress,
            RemoteCertificateValidationCallback = ValidateServerCertificate,
        };
        X509Certificate2? leaf = null;
        if (svid is not null)
        {
            leaf = svid.CopyLeafWithPrivateKey();
            var intermediates = new X509Certificate2Collection(svid.Certificates.Skip(1).ToArray());
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }

        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        };
        var channel = GrpcChannel.ForAddress(_address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxReceiveMessageSize,
        });
        return new OwnedChannel(channel, leaf);
    }

    private bool ValidateServerCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            ServerApiLog.ServerCertificateRejected(_logger, "the server sent no certificate");
            return false;
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var presented = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>() ?? [];
        var error = ServerCertificateValidator.Validate(leaf, presented, _credentials.ServerTrustBundle, _options.TrustDomain, _timeProvider.GetUtcNow());
        if (error is not null)
        {
            ServerApiLog.ServerCertificateRejected(_logger, error);
            return false;
        }

        return true;
    }
}
