using System.Text.Json.Serialization;
using Determinant.Harness.Loop;

namespace Determinant.Harness.Hosting;

/// <summary>JSON for the harness's own checkpoint files: snake_case as in metadata.json, indented, NaN as a string.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(TrainingState))]
internal sealed partial class HarnessJsonContext : JsonSerializerContext;
