using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks;

/// <summary>Validates <see cref="TaskOptions"/> at start (<c>ValidateOnStart</c>).</summary>
internal sealed class TaskOptionsValidator : IValidateOptions<TaskOptions>
{
    /// <summary>Upper bound of <see cref="TaskOptions.MonitorInterval"/> that keeps revocation within one second.</summary>
    public static readonly TimeSpan MaxMonitorInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TaskOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.DataDirectory) || !Path.IsPathFullyQualified(options.DataDirectory))
        {
            failures.Add("DataDirectory must be an absolute path");
        }

        if (options.CgroupMount is not null && !Path.IsPathFullyQualified(options.CgroupMount))
        {
            failures.Add("CgroupMount must be an absolute path");
        }

        var segments = (options.CgroupParent ?? string.Empty).Split('/');
        if (string.IsNullOrEmpty(options.CgroupParent) || options.CgroupParent.StartsWith('/')
            || segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            failures.Add("CgroupParent must be a relative cgroup path without empty, '.' or '..' segments");
        }

        if (string.IsNullOrEmpty(options.ProcRoot) || !Path.IsPathFullyQualified(options.ProcRoot))
        {
            failures.Add("ProcRoot must be an absolute path");
        }

        if (options.MaxTtl <= TimeSpan.Zero)
        {
            failures.Add("MaxTtl must be positive");
        }

        if (options.DefaultTtl <= TimeSpan.Zero || options.DefaultTtl > options.MaxTtl)
        {
            failures.Add("DefaultTtl must be positive and at most MaxTtl");
        }

        if (options.MonitorInterval <= TimeSpan.Zero || options.MonitorInterval > MaxMonitorInterval)
        {
            failures.Add("MonitorInterval must be positive and at most 500 ms (revocation within one second)");
        }

        if (options.RevocationRetention < TimeSpan.Zero)
        {
            failures.Add("RevocationRetention must not be negative");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
