using System.Text.Json.Nodes;

namespace Determinant.Client;

/// <summary>
/// Copies a checkpoint straight from its storage (<c>shared_fs</c>: <c>host_path</c>/<c>storage_path</c>; <c>directory</c>:
/// <c>container_path</c>) when this machine can see it: only the files the checkpoint lists, each checked against its
/// listed size before and after the copy, never through a link.
/// </summary>
internal static class CheckpointStorageCopy
{
    /// <summary>The checkpoint's directory in the storage of <paramref name="experimentConfig"/>, or why there is none to read.</summary>
    public static (string? Directory, string? Why) Locate(JsonObject? experimentConfig, string uuid)
    {
        if (experimentConfig?["checkpoint_storage"] is not JsonObject storage)
            return (null, "the experiment's config has no checkpoint_storage");
        var type = (string?)storage["type"];
        string? baseDirectory = type switch
        {
            "shared_fs" when (string?)storage["host_path"] is { Length: > 0 } host =>
                (string?)storage["storage_path"] is { Length: > 0 } sub ? Path.GetFullPath(Path.Combine(host, sub)) : Path.GetFullPath(host),
            "directory" when (string?)storage["container_path"] is { Length: > 0 } container => Path.GetFullPath(container),
            _ => null,
        };
        if (baseDirectory is null)
            return (null, $"checkpoint storage '{type ?? "?"}' cannot be read directly; only shared_fs and directory can");
        var directory = Path.Combine(baseDirectory, uuid);
        return System.IO.Directory.Exists(directory) ? (directory, null) : (null, $"{directory} is not visible from this machine");
    }

    /// <summary>Copies every listed file of <paramref name="source"/> into the empty directory <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidDataException">A listed path is unsafe, a link, missing, or not of its listed size.</exception>
    public static void Copy(string source, string destination, IReadOnlyDictionary<string, long> resources, string uuid, IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var sourceRoot = Path.GetFullPath(source) + Path.DirectorySeparatorChar;
        var destinationRoot = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        long written = 0;
        foreach (var (name, size) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var from = CheckpointArchive.Destination(sourceRoot, name);
            var to = CheckpointArchive.Destination(destinationRoot, name);
            if (name.EndsWith('/'))
            {
                Directory.CreateDirectory(to);
                continue;
            }
            var file = new FileInfo(from);
            if (!file.Exists)
                throw new InvalidDataException($"checkpoint {uuid}: {name} is listed but missing in the storage at {source}");
            if (file.LinkTarget is not null)
                throw new InvalidDataException($"checkpoint {uuid}: {name} is a link in the storage; links are never followed");
            if (file.Length != size)
                throw new InvalidDataException($"checkpoint {uuid}: {name} is {file.Length} bytes in the storage, expected {size}");
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            // File.Copy lets the kernel copy (copy_file_range/sendfile on Linux): no bytes pass through this process.
            File.Copy(from, to, overwrite: false);
            written += size;
            progress?.Report(written);
        }
    }
}
