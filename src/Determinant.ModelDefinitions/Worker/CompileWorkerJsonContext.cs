using System.Text.Json.Serialization;

namespace Determinant.ModelDefinitions;

[JsonSerializable(typeof(CompileWorkerSetup))]
[JsonSerializable(typeof(CompileWorkerRequest))]
[JsonSerializable(typeof(CompileWorkerResponse))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class CompileWorkerJsonContext : JsonSerializerContext;
