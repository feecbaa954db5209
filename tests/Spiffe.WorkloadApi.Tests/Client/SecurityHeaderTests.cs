using Grpc.Core;
using Grpc.Net.Client;
using Google.Protobuf;
using Spiffe.WorkloadApi.Proto;
using Spiffe.WorkloadApi.Tests.Infrastructure;
using static Spiffe.WorkloadApi.Tests.Infrastructure.TestIdentities;

namespace Spiffe.WorkloadApi.Tests.Client;

/// <summary>The fake endpoint enforces the security header, so every other test proves the client sends it.</summary>
[TestFixture]
public sealed class SecurityHeaderTests
{
    private static readonly Method<X509SVIDRequest, X509SVIDResponse> FetchX509Svid = new(
        MethodType.ServerStreaming,
        "SpiffeWorkloadAPI",
        "FetchX509SVID",
        Marshallers.Create(r => r.ToByteArray(), X509SVIDRequest.Parser.ParseFrom),
        Marshallers.Create(r => r.ToByteArray(), X509SVIDResponse.Parser.ParseFrom));

    private FakeWorkloadApi fake = null!;

    [SetUp]
    public async Task StartAsync()
    {
        this.fake = await FakeWorkloadApi.StartAsync();
        this.fake.X509Svids.Set(Messages.X509SvidResponse(Messages.X509Svid(Web, Ca.IssueX509Svid(Web), Ca)));
    }

    [TearDown]
    public async Task StopAsync() => await this.fake.DisposeAsync();

    [Test]
    public void RawCall_WithoutHeader_FakeRejectsWithInvalidArgument()
    {
        // Arrange
        using var channel = this.CreateRawChannel();

        // Act
        var exception = Assert.ThrowsAsync<RpcException>(() => ReadFirstAsync(channel, new Metadata()));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(this.fake.RejectedCalls, Is.EqualTo(1));
    }

    [Test]
    public void RawCall_WrongHeaderValue_FakeRejectsWithInvalidArgument()
    {
        // Arrange
        using var channel = this.CreateRawChannel();

        // Act
        var exception = Assert.ThrowsAsync<RpcException>(() => ReadFirstAsync(channel, new Metadata { { "workload.spiffe.io", "TRUE" } }));

        // Assert
        Assert.That(exception.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [Test]
    public async Task Client_EveryCall_CarriesHeader()
    {
        // Arrange
        await using var client = WorkloadApiClient.Create(new WorkloadApiClientOptions { Address = this.fake.Address });

        // Act
        var svid = await client.FetchX509SvidAsync().DefaultTimeout();

        // Assert
        Assert.That(svid.Id, Is.EqualTo(Web));
        Assert.That(this.fake.RejectedCalls, Is.Zero);
    }

    private static async Task ReadFirstAsync(GrpcChannel channel, Metadata headers)
    {
        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(FetchX509Svid, null, new CallOptions(headers), new X509SVIDRequest());
        await call.ResponseStream.MoveNext(CancellationToken.None).DefaultTimeout();
    }

    private GrpcChannel CreateRawChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(this.fake.SocketPath), cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
    }
}
