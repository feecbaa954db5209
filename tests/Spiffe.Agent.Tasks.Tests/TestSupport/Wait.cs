using System.Diagnostics;

namespace Spiffe.Agent.Tasks.Tests.TestSupport;

/// <summary>Real-clock waiting for things the kernel does (process exit, cgroup events), with a generous bound.</summary>
internal static class Wait
{
    /// <summary>Upper bound for anything a test waits on; generous for CI noise.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(5);

    public static Task<T> WithTimeout<T>(this Task<T> task) => task.WaitAsync(Generous, TimeProvider.System);

    public static Task WithTimeout(this Task task) => task.WaitAsync(Generous, TimeProvider.System);

    /// <summary>Polls <paramref name="condition"/> every 10 ms; fails the test after <see cref="Generous"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Generous)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }

    /// <summary>Like <see cref="UntilAsync(Func{bool}, string)"/> for an async probe.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Generous)
            {
                Assert.Fail($"timed out waiting until {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }
}
