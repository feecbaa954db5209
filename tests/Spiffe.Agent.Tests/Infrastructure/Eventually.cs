namespace Spiffe.Agent.Tests.Infrastructure;

/// <summary>Waits for a condition that becomes true asynchronously (a sync round, a rotation), bounded by a timeout.</summary>
internal static class Eventually
{
    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TaskTimeoutExtensions.Timeout);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition().WaitAsync(deadline.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"timed out waiting for {what}", last);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                last = ex;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"timed out waiting for {what}", last);
            }
        }
    }
}
