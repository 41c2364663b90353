using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Harness.Hosting;
using Determinant.Protocol.Checkpoints;

namespace Determinant.Harness.Checkpoints;

/// <summary>
/// Which checkpoint a resume loads: the trial's latest when its files match their recorded SHA-256 sums, otherwise the
/// newest intact earlier checkpoint of the same trial, with a line in the trial's log saying which file was wrong.
/// </summary>
/// <remarks>
/// The earlier checkpoints are found in the storage itself, by the <c>trial_id</c> and <c>steps_completed</c> of their
/// <c>metadata.json</c>: what checkpoint GC deleted is gone from there too. A checkpoint without recorded sums (written
/// before they were) is taken as it is, as before.
/// </remarks>
internal static class ResumeCheckpoint
{
    /// <summary>The checkpoint to resume from and its steps.</summary>
    /// <exception cref="InvalidDataException">The latest checkpoint is corrupt and no earlier one of the trial is intact; the message names the file.</exception>
    public static (string Uuid, ulong StepsCompleted) Choose(string storage, string latest, ulong latestSteps, int trialId, HarnessLog log)
    {
        var corruption = CheckpointChecksums.FindCorruption(Path.Combine(storage, latest), latest);
        if (corruption is null)
            return (latest, latestSteps);
        foreach (var (uuid, steps) in EarlierOfTrial(storage, latest, latestSteps, trialId))
        {
            if (CheckpointChecksums.FindCorruption(Path.Combine(storage, uuid), uuid) is { } alsoCorrupt)
            {
                log.Warning(alsoCorrupt);
                continue;
            }
            log.Warning($"{corruption}; restoring from checkpoint {uuid} (batch {steps}) instead");
            return (uuid, steps);
        }
        throw new InvalidDataException($"{corruption}, and no earlier checkpoint of trial {trialId} is intact");
    }

    /// <summary>A warm start's source must be intact: it is another trial's, so there is nothing to fall back to.</summary>
    /// <exception cref="InvalidDataException">A file of the checkpoint is missing or differs from its recorded sum.</exception>
    public static void RequireIntact(string storage, string uuid)
    {
        if (CheckpointChecksums.FindCorruption(Path.Combine(storage, uuid), uuid) is { } corruption)
            throw new InvalidDataException(corruption);
    }

    /// <summary>The trial's complete checkpoints in the storage with fewer steps than the latest, newest first.</summary>
    private static IEnumerable<(string Uuid, ulong Steps)> EarlierOfTrial(string storage, string latest, ulong latestSteps, int trialId)
    {
        var found = new List<(string Uuid, ulong Steps)>();
        foreach (var directory in new DirectoryInfo(storage).EnumerateDirectories())
        {
            // Partial checkpoints are hidden (.<uuid>.partial); the storage may hold other trials' and TensorBoard folders too.
            if (directory.Name.StartsWith('.') || directory.Name == latest || !Guid.TryParse(directory.Name, out _))
                continue;
            if (MetadataOf(directory.FullName) is { } metadata
                && metadata["trial_id"] is JsonValue trial && trial.TryGetValue<int>(out var id) && id == trialId
                && metadata["steps_completed"] is JsonValue stepsValue && stepsValue.TryGetValue<ulong>(out var steps) && steps < latestSteps)
                found.Add((directory.Name, steps));
        }
        return found.OrderByDescending(c => c.Steps).ThenBy(c => c.Uuid, StringComparer.Ordinal);
    }

    private static JsonObject? MetadataOf(string directory)
    {
        var path = Path.Combine(directory, CheckpointFiles.Metadata);
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null; // not a checkpoint this trial can resume from
        }
    }
}
