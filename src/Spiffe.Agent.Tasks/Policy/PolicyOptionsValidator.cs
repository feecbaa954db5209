using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>Validates <see cref="PolicyOptions"/> at start (<c>ValidateOnStart</c>).</summary>
internal sealed class PolicyOptionsValidator : IValidateOptions<PolicyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Directory) || !Path.IsPathFullyQualified(options.Directory))
        {
            failures.Add("Directory must be an absolute path");
        }

        if (options.ReloadInterval <= TimeSpan.Zero)
        {
            failures.Add("ReloadInterval must be positive");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
