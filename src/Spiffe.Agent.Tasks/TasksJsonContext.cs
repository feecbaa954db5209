using System.Text.Json.Serialization;
using Spiffe.Agent.Tasks.Revocation;

namespace Spiffe.Agent.Tasks;

/// <summary>Source-generated JSON for the persisted state files (snake_case, enums as strings).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PersistedTaskState))]
[JsonSerializable(typeof(PersistedRevocations))]
internal sealed partial class TasksJsonContext : JsonSerializerContext;
