using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Audit;

/// <summary>Validates <see cref="AuditOptions"/> at start (<c>ValidateOnStart</c>).</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Directory) || !Path.IsPathFullyQualified(options.Directory))
        {
            failures.Add("Directory must be an absolute path");
        }

        if (string.IsNullOrEmpty(options.FileName) || options.FileName != Path.GetFileName(options.FileName))
        {
            failures.Add("FileName must be a plain file name");
        }

        if (options.MaxFileBytes < 4096)
        {
            failures.Add("MaxFileBytes must be at least 4096");
        }

        if (options.MaxFiles < 2)
        {
            failures.Add("MaxFiles must be at least 2");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
