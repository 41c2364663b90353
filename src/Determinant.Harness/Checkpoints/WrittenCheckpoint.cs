using System.Text.Json.Nodes;

namespace Determinant.Harness.Checkpoints;

/// <summary>A checkpoint in its final place: its uuid, directory, files with sizes, and metadata.</summary>
internal sealed record WrittenCheckpoint(string Uuid, string Directory, IReadOnlyDictionary<string, long> Resources, JsonObject Metadata);
