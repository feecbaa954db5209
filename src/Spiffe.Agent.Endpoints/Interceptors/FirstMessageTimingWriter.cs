using Grpc.Core;

namespace Spiffe.Agent.Endpoints.Interceptors;

/// <summary>Passes messages through to the real stream and runs a callback once, after the first one is written.</summary>
internal sealed class FirstMessageTimingWriter<T> : IServerStreamWriter<T>
{
    private readonly IServerStreamWriter<T> _inner;
    private Action? _onFirst;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public FirstMessageTimingWriter(IServerStreamWriter<T> inner, Action onFirst)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _onFirst = onFirst ?? throw new ArgumentNullException(nameof(onFirst));
    }

    /// <inheritdoc />
    public WriteOptions? WriteOptions
    {
        get => _inner.WriteOptions;
        set => _inner.WriteOptions = value;
    }

    /// <inheritdoc />
    public async Task WriteAsync(T message)
    {
        await _inner.WriteAsync(message);
        Interlocked.Exchange(ref _onFirst, null)?.Invoke();
    }

    /// <inheritdoc />
    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        await _inner.WriteAsync(message, cancellationToken);
        Interlocked.Exchange(ref _onFirst, null)?.Invoke();
    }
}
