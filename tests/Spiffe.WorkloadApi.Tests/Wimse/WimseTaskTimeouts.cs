namespace Spiffe.WorkloadApi.Tests.Wimse;

/// <summary>Bounds every await in the WIMSE tests so a hang fails the test instead of the run.</summary>
internal static class WimseTaskTimeouts
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}
