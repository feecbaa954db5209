using System.Security.Cryptography;
using Cel;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>
/// Per-request policy as code: CEL rules from a directory of JSON files (one policy per file). Every policy that
/// applies to the task's agent must allow; the first denial (in policy-name order) decides, and the obligations of the
/// allowing policies merge. Rules are compiled once per file content; evaluation reads an immutable snapshot.
/// </summary>
/// <remarks>
/// Fail-closed rules: a rule that throws or yields a non-bool denies; a file whose new content is invalid keeps its
/// last valid version in force; a file that never had a valid version (or a directory that was never readable) denies
/// every request until it is fixed. <see cref="Status"/> reports all of it.
/// </remarks>
internal sealed class PolicyEngine
{
    private readonly CelEnvironment environment = new(Array.Empty<FileDescriptor>(), string.Empty);
    private readonly Lock reloadGate = new();
    private readonly string directory;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<PolicyEngine> logger;
    private volatile PolicySet current;
    private bool directoryEverRead;

    public PolicyEngine(IOptions<PolicyOptions> options, TimeProvider timeProvider, ILogger<PolicyEngine> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        directory = options.Value.Directory;
        this.timeProvider = timeProvider;
        this.logger = logger;
        current = new PolicySet(
            new Dictionary<string, PolicyFileEntry>(),
            [],
            DenyAll: null,
            new PolicyStatus(timeProvider.GetUtcNow(), DirectoryError: null, []));
        Reload();
    }

    /// <summary>The outcome of the latest reload.</summary>
    public PolicyStatus Status => current.Status;

    /// <summary>Evaluates the policies that apply to <paramref name="input"/>'s agent.</summary>
    public PolicyDecision Evaluate(PolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var set = current;
        if (set.DenyAll is { } denyAll)
        {
            return new PolicyDecision(false, denyAll.Message, denyAll.Ref, [denyAll.Ref], PolicyObligations.None);
        }

        Dictionary<string, object?>? variables = null;
        var decided = new List<PolicyRef>();
        var obligations = PolicyObligations.None;
        foreach (var policy in set.Policies)
        {
            if (!policy.Document.AppliesTo(input.Task.Agent))
            {
                continue;
            }

            variables ??= input.ToVariables();
            decided.Add(policy.Ref);
            var reason = Run(policy, variables);
            if (reason is not null)
            {
                return new PolicyDecision(false, $"denied by policy {policy.Ref.Name}: {reason}", policy.Ref, decided, PolicyObligations.None);
            }

            obligations = obligations.Merge(policy.Document.Obligations);
        }

        return new PolicyDecision(true, null, null, decided, obligations);
    }

    /// <summary>
    /// Re-reads the policy directory: new or changed files are parsed and compiled, removed files drop out, unchanged
    /// files keep their compiled rule. Called by <see cref="PolicyReloader"/> on a timer.
    /// </summary>
    public PolicyStatus Reload()
    {
        lock (reloadGate)
        {
            var previous = current;
            var now = timeProvider.GetUtcNow();
            string[] paths;
            try
            {
                paths = [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal)];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return KeepAfterDirectoryError(previous, now, ex.Message);
            }

            directoryEverRead = true;
            var files = new Dictionary<string, PolicyFileEntry>(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                previous.Files.TryGetValue(path, out var before);
                files[path] = Load(path, before);
            }

            foreach (var path in previous.Files.Keys.Where(p => !files.ContainsKey(p)))
            {
                PolicyLog.Removed(logger, path);
            }

            current = Assemble(files, previous, now);
            return current.Status;
        }
    }

    private PolicyFileEntry Load(string path, PolicyFileEntry? before)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Reject(path, before, before?.ContentSha256 ?? string.Empty, $"cannot be read: {ex.Message}");
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (before is not null && before.ContentSha256 == sha256)
        {
            return before;
        }

        try
        {
            var policy = Compile(content, sha256);
            PolicyLog.Loaded(logger, policy.Ref.Name, path, sha256);
            return new PolicyFileEntry(sha256, policy, Error: null);
        }
        catch (PolicyFormatException ex)
        {
            return Reject(path, before, sha256, ex.Message);
        }
    }

    private PolicyFileEntry Reject(string path, PolicyFileEntry? before, string sha256, string error)
    {
        var fallback = before?.InForce;
        PolicyLog.Invalid(
            logger,
            path,
            error,
            fallback is null ? "every request is denied until it is fixed" : $"keeping the previous version (sha256 {fallback.Ref.Sha256})");
        return new PolicyFileEntry(sha256, fallback, error);
    }

    private CompiledPolicy Compile(byte[] content, string sha256)
    {
        var document = PolicyDocument.Parse(content);
        CelProgramDelegate program;
        try
        {
            program = environment.Compile(document.Rule);
        }
        catch (CelException ex)
        {
            throw new PolicyFormatException($"rule does not compile: {ex.Message}", ex);
        }

        // Run the rule once on an input with every field present: unknown variables, fields and functions, type
        // mismatches and non-bool results are errors in the file. Value-dependent errors (an index out of range, a
        // division by zero) can only show per request, where they deny.
        object? result;
        try
        {
            result = program.Invoke(PolicyInput.Sample.ToVariables());
        }
        catch (Exception ex) when (ex is CelUndeclaredReferenceException or CelNoSuchFieldException or CelUnboundFunctionException
                                   or CelNoSuchOverloadException or CelTypeDoesNotSupportFieldSelectionException)
        {
            throw new PolicyFormatException($"rule is invalid: {ex.Message}", ex);
        }
        catch (CelException)
        {
            result = false;
        }

        if (result is not bool)
        {
            throw new PolicyFormatException($"rule must evaluate to a bool, not {result?.GetType().Name ?? "null"}");
        }

        return new CompiledPolicy(document, program, new PolicyRef(document.Name, sha256));
    }

    /// <summary>Runs one rule; returns <see langword="null"/> when it allows, otherwise the denial reason.</summary>
    private static string? Run(CompiledPolicy policy, Dictionary<string, object?> variables)
    {
        object? result;
        try
        {
            result = policy.Program.Invoke(variables);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail closed: whatever the CEL runtime throws denies the request.
            return $"rule failed: {ex.Message}";
        }

        return result switch
        {
            true => null,
            false => policy.Document.Reason,
            _ => "rule did not evaluate to a bool",
        };
    }

    private PolicySet Assemble(Dictionary<string, PolicyFileEntry> files, PolicySet previous, DateTimeOffset now)
    {
        var statuses = new List<PolicyFileStatus>();
        var policies = new List<CompiledPolicy>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        (PolicyRef Ref, string Message)? denyAll = null;
        foreach (var (path, entry) in files)
        {
            var inForce = entry.InForce;
            var error = entry.Error;
            var state = entry.State;
            if (inForce is not null && owners.TryGetValue(inForce.Ref.Name, out var owner))
            {
                error = $"duplicate policy name '{inForce.Ref.Name}' (also in {owner})";
                inForce = null;
                state = PolicyFileState.InvalidDenyingAll;
                if (previous.Status.Files.FirstOrDefault(f => f.File == path)?.Error != error)
                {
                    PolicyLog.Invalid(logger, path, error, "every request is denied until it is fixed");
                }
            }
            else if (inForce is not null)
            {
                owners[inForce.Ref.Name] = path;
                policies.Add(inForce);
            }

            statuses.Add(new PolicyFileStatus(path, state, inForce?.Ref, error));
            if (state == PolicyFileState.InvalidDenyingAll && denyAll is null)
            {
                var name = Path.GetFileName(path);
                denyAll = (new PolicyRef(name, entry.ContentSha256), $"denied by policy {name}: the policy file is invalid ({error})");
            }
        }

        policies.Sort((a, b) => string.CompareOrdinal(a.Ref.Name, b.Ref.Name));
        return new PolicySet(files, policies, denyAll, new PolicyStatus(now, DirectoryError: null, statuses));
    }

    private PolicyStatus KeepAfterDirectoryError(PolicySet previous, DateTimeOffset now, string error)
    {
        var consequence = directoryEverRead
            ? "keeping the policies loaded before"
            : "every request is denied until it is readable";
        if (previous.Status.DirectoryError != error)
        {
            PolicyLog.DirectoryUnreadable(logger, directory, error, consequence);
        }

        var denyAll = directoryEverRead
            ? previous.DenyAll
            : (new PolicyRef(directory, string.Empty), $"denied by policy directory {directory}: it cannot be read ({error})");
        current = previous with
        {
            DenyAll = denyAll,
            Status = previous.Status with { CheckedAt = now, DirectoryError = error },
        };
        return current.Status;
    }
}
