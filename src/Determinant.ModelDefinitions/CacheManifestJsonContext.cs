using System.Text.Json.Serialization;

namespace Determinant.ModelDefinitions;

[JsonSerializable(typeof(CacheManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class CacheManifestJsonContext : JsonSerializerContext;
