using System.Text.Json.Nodes;

namespace Determinant.Harness;

/// <summary>A complete checkpoint in the checkpoint storage, as stored or found by <see cref="CheckpointContext"/>.</summary>
/// <param name="Uuid">The checkpoint's id, also the name of its directory.</param>
/// <param name="Directory">The directory holding its files: <c>&lt;storage base&gt;/&lt;uuid&gt;</c>.</param>
/// <param name="Resources">Each file's path relative to <paramref name="Directory"/> with its size; directories end in <c>/</c> with size 0.</param>
/// <param name="Metadata">The contents of its <c>metadata.json</c>, which include <c>steps_completed</c>.</param>
public sealed record StoredCheckpoint(string Uuid, string Directory, IReadOnlyDictionary<string, long> Resources, JsonObject Metadata)
{
    /// <summary>The batches trained when the checkpoint was taken (<c>steps_completed</c> in the metadata), or 0 when absent.</summary>
    public ulong StepsCompleted => Metadata["steps_completed"] is JsonValue value && value.TryGetValue<ulong>(out var steps) ? steps : 0;
}
