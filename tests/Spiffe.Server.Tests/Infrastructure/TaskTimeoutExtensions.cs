namespace Spiffe.Server.Tests.Infrastructure;

/// <summary>Every await in these tests goes through a timeout so a hang fails the test instead of the run.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>The default bound for one awaited step.</summary>
    public static readonly TimeSpan DefaultTimeoutSpan = TimeSpan.FromSeconds(60);

    /// <summary>Awaits with <see cref="DefaultTimeoutSpan"/>.</summary>
    public static Task DefaultTimeout(this Task task) => task.WaitAsync(DefaultTimeoutSpan);

    /// <summary>Awaits with <see cref="DefaultTimeoutSpan"/>.</summary>
    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(DefaultTimeoutSpan);

    /// <summary>Awaits with <see cref="DefaultTimeoutSpan"/>.</summary>
    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(DefaultTimeoutSpan);

    /// <summary>Awaits with <see cref="DefaultTimeoutSpan"/>.</summary>
    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(DefaultTimeoutSpan);
}
