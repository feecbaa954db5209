using Cel;

namespace Spiffe.Agent.Tasks.Policy;

/// <summary>A valid policy with its compiled rule, ready to evaluate (the compiled delegate is thread-safe).</summary>
internal sealed record CompiledPolicy(PolicyDocument Document, CelProgramDelegate Program, PolicyRef Ref);
