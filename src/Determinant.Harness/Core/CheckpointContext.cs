using System.Text.Json.Nodes;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Loop;
using Determinant.Protocol.Checkpoints;

namespace Determinant.Harness;

/// <summary>Stores and finds a script's checkpoints in the experiment's checkpoint storage (<see cref="CoreContext.Checkpoints"/>).</summary>
/// <remarks>
/// Checkpoints are written as the harness writes its own (REFERENCE.md §4.1): into a hidden partial directory that is
/// renamed to <c>&lt;storage base&gt;/&lt;uuid&gt;</c> once complete, with <c>metadata.json</c> holding the reported metadata,
/// and reported to the master with the map of files and sizes. Only <c>shared_fs</c> and <c>directory</c> storage are supported.
/// </remarks>
public sealed class CheckpointContext
{
    private readonly TrialSession _session;
    private readonly Lazy<string> _storage;
    private readonly Func<Guid> _newUuid;

    internal CheckpointContext(TrialSession session, Lazy<string> storage, Func<Guid> newUuid)
    {
        _session = session;
        _storage = storage;
        _newUuid = newUuid;
    }

    /// <summary>Copies the files under <paramref name="sourceDirectory"/> into a new checkpoint and reports it.</summary>
    /// <param name="sourceDirectory">The directory whose files (and subdirectories) make the checkpoint; left as it is.</param>
    /// <param name="stepsCompleted">Batches trained so far; stored as <c>steps_completed</c>, which a resume is given back.</param>
    /// <param name="metadata">More metadata to store and report; null for none.</param>
    /// <param name="cancellationToken">Stops the copy; a partial checkpoint is removed.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="sourceDirectory"/> does not exist.</exception>
    /// <exception cref="IOException">The checkpoint cannot be written; the message names the path.</exception>
    /// <exception cref="NotSupportedException">The experiment's checkpoint storage is not a file system.</exception>
    public Task<StoredCheckpoint> StoreAsync(string sourceDirectory, ulong stepsCompleted, JsonObject? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        var source = new DirectoryInfo(sourceDirectory);
        if (!source.Exists)
            throw new DirectoryNotFoundException($"the checkpoint source directory {source.FullName} does not exist");
        return StoreAsync((target, ct) => CopyAsync(source, target, ct), stepsCompleted, metadata, cancellationToken);
    }

    /// <summary>Lets <paramref name="write"/> write the checkpoint's files into a new directory, then stores and reports it.</summary>
    /// <param name="write">Writes the files into the directory it is given (the partial checkpoint); should not keep the path.</param>
    /// <param name="stepsCompleted">Batches trained so far; stored as <c>steps_completed</c>.</param>
    /// <param name="metadata">More metadata to store and report; null for none.</param>
    /// <param name="cancellationToken">Passed to <paramref name="write"/>; a partial checkpoint is removed when it throws.</param>
    /// <exception cref="IOException">The checkpoint cannot be written; the message names the path.</exception>
    /// <exception cref="NotSupportedException">The experiment's checkpoint storage is not a file system.</exception>
    public async Task<StoredCheckpoint> StoreAsync(
        Func<string, CancellationToken, Task> write, ulong stepsCompleted, JsonObject? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = metadata?.DeepClone().AsObject() ?? [];
        full["steps_completed"] = stepsCompleted;
        full["determinant_version"] ??= CheckpointWriter.Version;
        full["experiment_id"] ??= _session.Identity.ExperimentId;
        full["trial_id"] ??= _session.Identity.TrialId;
        var written = await CheckpointDirectory.WriteAsync(_storage.Value, _newUuid().ToString(), full, write, cancellationToken);
        _session.Log.Info($"checkpoint {written.Uuid} written at {stepsCompleted} steps to {written.Directory}");
        await _session.ReportCheckpointAsync(written, cancellationToken);
        return new StoredCheckpoint(written.Uuid, written.Directory, written.Resources, written.Metadata);
    }

    /// <summary>Finds checkpoint <paramref name="uuid"/> in the storage, such as <see cref="CoreContext.LatestCheckpoint"/> on a resume.</summary>
    /// <returns>The checkpoint, whose files can be read from <see cref="StoredCheckpoint.Directory"/>.</returns>
    /// <exception cref="DirectoryNotFoundException">The storage has no complete checkpoint <paramref name="uuid"/>.</exception>
    /// <exception cref="InvalidDataException">
    /// The checkpoint has no readable <c>metadata.json</c>, or a file is missing or differs from the SHA-256 recorded when
    /// it was stored (the message names the file; a checkpoint stored without sums is not checked).
    /// </exception>
    /// <exception cref="NotSupportedException">The experiment's checkpoint storage is not a file system.</exception>
    public Task<StoredCheckpoint> RestoreAsync(string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uuid);
        cancellationToken.ThrowIfCancellationRequested();
        var found = CheckpointDirectory.Read(_storage.Value, uuid);
        if (CheckpointChecksums.FindCorruption(found.Directory, uuid) is { } corruption)
            throw new InvalidDataException(corruption);
        return Task.FromResult(new StoredCheckpoint(found.Uuid, found.Directory, found.Resources, found.Metadata));
    }

    private static async Task CopyAsync(DirectoryInfo source, string target, CancellationToken cancellationToken)
    {
        foreach (var file in source.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source.FullName, file.FullName));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            await using var from = file.OpenRead();
            await using var to = File.Create(destination);
            await from.CopyToAsync(to, cancellationToken);
        }

        foreach (var directory in source.EnumerateDirectories("*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source.FullName, directory.FullName)));
    }
}
