using Grpc.Core;
using Spiffe.Agent.ServerApi.Transport;

namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>Hands out one fake invoker for both kinds of connection and counts them.</summary>
internal sealed class FakeServerChannels : IServerChannels
{
    public FakeServerChannels(FakeCallInvoker invoker) => Invoker = invoker;

    public FakeCallInvoker Invoker { get; }

    public int AttestationChannelsOpened { get; private set; }

    public AttestationChannel OpenAttestationChannel()
    {
        AttestationChannelsOpened++;
        return new AttestationChannel(Invoker, null);
    }

    public CallInvoker GetAgentInvoker() => Invoker;
}
