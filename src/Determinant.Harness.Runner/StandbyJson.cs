using System.Text.Json.Serialization;

namespace Determinant.Harness.Runner;

/// <summary>Source-generated JSON for the standby handoff line.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Handoff))]
internal sealed partial class StandbyJson : JsonSerializerContext;
