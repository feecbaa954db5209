using Grpc.Core;

namespace Spiffe.Agent.ServerApi.Transport;

/// <summary>A call invoker for attestation and the connection it runs on, disposed after use.</summary>
internal sealed class AttestationChannel : IDisposable
{
    private readonly IDisposable? _owner;

    /// <summary>Wraps an invoker and what must be disposed with it (null when nothing).</summary>
    public AttestationChannel(CallInvoker invoker, IDisposable? owner)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        Invoker = invoker;
        _owner = owner;
    }

    /// <summary>The call invoker.</summary>
    public CallInvoker Invoker { get; }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _owner?.Dispose();
}
