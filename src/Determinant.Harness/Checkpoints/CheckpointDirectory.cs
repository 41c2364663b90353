using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Protocol.Checkpoints;

namespace Determinant.Harness.Checkpoints;

/// <summary>
/// Writes a checkpoint into <c>&lt;storage&gt;/.&lt;uuid&gt;.partial/</c> and renames it to <c>&lt;storage&gt;/&lt;uuid&gt;/</c> only
/// when every file is written, so a crash never leaves a directory that looks like a complete checkpoint; reads one back.
/// The last file written is <see cref="CheckpointChecksums.FileName"/>, the SHA-256 of every other file, which a restore
/// and a download check.
/// </summary>
internal static class CheckpointDirectory
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Lets <paramref name="fill"/> write the files, adds <c>metadata.json</c> and the sums, and moves the directory into place.</summary>
    /// <exception cref="IOException">The storage directory cannot be written; the message names the path and the system's reason.</exception>
    public static async Task<WrittenCheckpoint> WriteAsync(
        string baseDirectory, string uuid, JsonObject metadata, Func<string, CancellationToken, Task> fill, CancellationToken cancellationToken)
    {
        var final = Path.Combine(baseDirectory, uuid);
        var partial = Path.Combine(baseDirectory, $".{uuid}.partial");
        try
        {
            Directory.CreateDirectory(partial);
            await fill(partial, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(partial, CheckpointFiles.Metadata), metadata.ToJsonString(Indented), cancellationToken);
            CheckpointChecksums.Write(partial);
            Directory.Move(partial, final);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new IOException($"cannot write checkpoint {uuid} to {final}: {ex.Message}{Diagnose(baseDirectory)}", ex);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        return new WrittenCheckpoint(uuid, final, CheckpointResources.Of(final), metadata);
    }

    /// <summary>A complete checkpoint in the storage: its files and its <c>metadata.json</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">There is no checkpoint <paramref name="uuid"/> in the storage.</exception>
    /// <exception cref="InvalidDataException">Its <c>metadata.json</c> is missing or not a JSON object.</exception>
    public static WrittenCheckpoint Read(string baseDirectory, string uuid)
    {
        var directory = Path.Combine(baseDirectory, uuid);
        if (uuid.Length == 0 || uuid.Contains('/', StringComparison.Ordinal) || uuid.StartsWith('.') || !Directory.Exists(directory))
            throw new DirectoryNotFoundException($"there is no checkpoint '{uuid}' in {baseDirectory}");
        var metadataPath = Path.Combine(directory, CheckpointFiles.Metadata);
        JsonObject? metadata;
        try
        {
            metadata = File.Exists(metadataPath) ? JsonNode.Parse(File.ReadAllText(metadataPath)) as JsonObject : null;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{metadataPath} is not JSON: {ex.Message}", ex);
        }

        return new WrittenCheckpoint(uuid, directory, CheckpointResources.Of(directory),
            metadata ?? throw new InvalidDataException($"checkpoint {directory} has no {CheckpointFiles.Metadata} holding a JSON object"));
    }

    // .NET reports ENOTDIR as a missing path; naming the file in the way says what is actually wrong.
    private static string Diagnose(string directory)
    {
        for (var path = Path.GetFullPath(directory); !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
                return $" ({path} is a file, not a directory)";
            if (Directory.Exists(path))
                return "";
        }

        return "";
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The original failure is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
