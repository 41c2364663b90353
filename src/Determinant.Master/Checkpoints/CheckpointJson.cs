using System.Text.Json.Serialization;

namespace Determinant.Master.Checkpoints;

/// <summary>Source-generated JSON for the stored resources map.</summary>
[JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
