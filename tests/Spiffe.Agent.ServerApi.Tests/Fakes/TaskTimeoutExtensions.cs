namespace Spiffe.Agent.ServerApi.Tests.Fakes;

/// <summary>Guards awaits in tests against hangs (a failing test, not a timing assertion).</summary>
internal static class TaskTimeoutExtensions
{
    private static readonly TimeSpan s_default = TimeSpan.FromSeconds(60);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(s_default);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(s_default);
}
