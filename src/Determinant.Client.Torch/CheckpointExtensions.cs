namespace Determinant.Client.Torch;

/// <summary>Download-and-load in one call.</summary>
public static class CheckpointExtensions
{
    /// <summary>
    /// Downloads <paramref name="checkpoint"/> into <paramref name="directory"/> (unless it already holds the checkpoint's
    /// <c>metadata.json</c>) and loads its trial; when the checkpoint stores no code, the experiment's model definition is
    /// downloaded next to it and compiled instead.
    /// </summary>
    /// <param name="checkpoint">A checkpoint of a trial-class experiment.</param>
    /// <param name="client">The client the checkpoint came from, used to fetch the model definition when needed.</param>
    /// <param name="directory">Where the checkpoint is (or goes).</param>
    /// <param name="progress">Told the bytes downloaded so far; null for none.</param>
    /// <param name="options">Device and cache; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the download and the compilation.</param>
    /// <returns>The trial with its weights loaded.</returns>
    /// <exception cref="DeterminantApiException">A download failed.</exception>
    /// <exception cref="InvalidDataException">The checkpoint or the code cannot be used.</exception>
    public static async Task<LoadedTrial> LoadTrialAsync(
        this Checkpoint checkpoint, DeterminantClient client, string directory, IProgress<long>? progress, TrialLoadOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!File.Exists(Path.Combine(directory, "metadata.json")))
            await checkpoint.DownloadAsync(directory, progress, cancellationToken).ConfigureAwait(false);
        var code = Path.Combine(directory, "code");
        if (Directory.Exists(code) && Directory.EnumerateFiles(code, "*.cs", SearchOption.AllDirectories).Any())
            return TrialCheckpoints.Load(directory, code, options, cancellationToken);
        var experimentId = checkpoint.ExperimentId ?? throw new InvalidDataException($"checkpoint {checkpoint.Uuid} stores no code and belongs to no experiment");
        var modelDefinition = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(directory))!, $"model-definition-{experimentId}");
        if (!Directory.Exists(modelDefinition))
        {
            var experiment = await client.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false);
            await experiment.DownloadModelDefinitionAsync(modelDefinition, cancellationToken).ConfigureAwait(false);
        }
        return TrialCheckpoints.Load(directory, modelDefinition, options, cancellationToken);
    }
}
