using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>A checkpoint on the master: its record as last read, and the download of its files.</summary>
public sealed class Checkpoint
{
    private readonly DeterminantClient _client;

    internal Checkpoint(DeterminantClient client, CheckpointDto info)
    {
        _client = client;
        Info = info;
    }

    /// <summary>Everything the master said about the checkpoint.</summary>
    public CheckpointDto Info { get; }

    /// <summary>The checkpoint's UUID (also the name of its directory in the storage).</summary>
    public string Uuid => Info.Uuid;

    /// <summary>The state (COMPLETED, DELETED, …).</summary>
    public CheckpointState State => Info.State;

    /// <summary>The trial that wrote it, if any.</summary>
    public int? TrialId => Info.TrialId;

    /// <summary>The experiment of that trial, if any.</summary>
    public int? ExperimentId => Info.ExperimentId;

    /// <summary>Batches the trial had trained when it wrote the checkpoint.</summary>
    public long StepsCompleted => Info.StepsCompleted;

    /// <summary>Total size of its files in bytes.</summary>
    public long Size => Info.Size;

    /// <summary>The searcher metric of the validation at the same steps, if there is one.</summary>
    public double? SearcherMetric => Info.SearcherMetric;

    /// <summary>The reported metadata (<c>metadata.json</c>).</summary>
    public JsonObject Metadata => Info.Metadata;

    /// <summary>Every file (relative path) with its size in bytes; directories end with <c>/</c> and have size 0.</summary>
    public IReadOnlyDictionary<string, long> Resources =>
        Info.Resources.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.TryGetValue<long>(out var size) ? size : -1L, StringComparer.Ordinal);

    /// <summary>
    /// Downloads the checkpoint's files into the new directory <paramref name="path"/>: streams the master's tar.gz, extracts it
    /// into a temporary sibling directory, checks every file against <see cref="Resources"/>, then renames it into place.
    /// </summary>
    /// <param name="path">The directory to create; it must not exist yet (its parent is created when missing).</param>
    /// <param name="progress">Told the number of file bytes extracted so far (out of <see cref="Size"/>); null for none.</param>
    /// <param name="cancellationToken">Cancels the download; nothing is left behind.</param>
    /// <returns>The full path of the directory.</returns>
    /// <exception cref="DeterminantApiException">The request failed (404 for an unknown or deleted checkpoint).</exception>
    /// <exception cref="InvalidDataException">
    /// The archive holds an unsafe entry (absolute path, <c>..</c>, a link or device), or its files do not match <see cref="Resources"/>.
    /// </exception>
    /// <exception cref="IOException"><paramref name="path"/> already exists, or the files cannot be written.</exception>
    public async Task<string> DownloadAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target) || File.Exists(target))
            throw new IOException($"{target} already exists; choose a new directory for checkpoint {Uuid}");
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} has no parent directory");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            // A plain tar: weights barely compress, and gzip would bound the download by one core's speed.
            using (var response = await _client.Api.OpenStreamAsync($"api/v1/checkpoints/{Uri.EscapeDataString(Uuid)}/download?compression=none", cancellationToken)
                .ConfigureAwait(false))
            {
                var gzip = response.Content.Headers.ContentType?.MediaType == "application/gzip";
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                    await CheckpointArchive.ExtractAsync(body, temp, progress, cancellationToken, gzip).ConfigureAwait(false);
            }
            CheckpointArchive.Verify(temp, Resources, Uuid);
            Directory.Move(temp, target);
            return target;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure matters more.
        }
    }
}

/// <summary>Safe extraction of a checkpoint tar.gz and the check of its files against the reported resources.</summary>
internal static class CheckpointArchive
{
    /// <summary>Extracts a tar.gz into a temporary sibling of <paramref name="path"/>, then renames it into place.</summary>
    public static async Task<string> ExtractToNewDirectoryAsync(Stream archive, string path, string what, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(path);
        if (Directory.Exists(target) || File.Exists(target))
            throw new IOException($"{target} already exists; choose a new directory for the {what}");
        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"{target} has no parent directory");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.download-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            await using (archive.ConfigureAwait(false))
                await ExtractAsync(archive, temp, null, cancellationToken).ConfigureAwait(false);
            Directory.Move(temp, target);
            return target;
        }
        catch
        {
            if (Directory.Exists(temp))
                Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Extracts a tar (gzip-compressed unless <paramref name="gzip"/> is false) into <paramref name="directory"/>, refusing entries that leave it.</summary>
    public static async Task ExtractAsync(Stream archive, string directory, IProgress<long>? progress, CancellationToken cancellationToken, bool gzip = true)
    {
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        long written = 0;
        var input = gzip ? new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true) : archive;
        await using ((gzip ? input : Stream.Null).ConfigureAwait(false))
        {
            var tar = new TarReader(input, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
            {
                while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    var destination = Destination(root, entry.Name);
                    switch (entry.EntryType)
                    {
                        case TarEntryType.Directory:
                            Directory.CreateDirectory(destination);
                            break;
                        case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                            var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                            await using (file.ConfigureAwait(false))
                            {
                                if (entry.DataStream is { } data)
                                    written = await CopyAsync(data, file, written, progress, cancellationToken).ConfigureAwait(false);
                            }
                            break;
                        default:
                            throw new InvalidDataException($"the checkpoint archive holds '{entry.Name}' of type {entry.EntryType}; only files and directories are extracted");
                    }
                }
            }
        }
    }

    /// <summary>The full path of an entry inside <paramref name="root"/>; absolute names, <c>..</c> and escapes are refused.</summary>
    internal static string Destination(string root, string name)
    {
        var relative = name.TrimEnd('/');
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Contains('\\', StringComparison.Ordinal) || Path.IsPathRooted(relative)
            || relative.Split('/').Any(segment => segment is ".." or ""))
            throw new InvalidDataException($"the checkpoint archive holds the unsafe path '{name}'");
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : throw new InvalidDataException($"the checkpoint archive holds the unsafe path '{name}'");
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, long written, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            written += read;
            progress?.Report(written);
        }
        return written;
    }

    /// <summary>Every listed file is there with its size, every listed directory exists, and no file is unlisted.</summary>
    public static void Verify(string directory, IReadOnlyDictionary<string, long> resources, string uuid)
    {
        var problems = new List<string>();
        foreach (var (name, size) in resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var full = Path.Combine(directory, name.TrimEnd('/'));
            if (name.EndsWith('/'))
            {
                if (!Directory.Exists(full))
                    problems.Add($"{name}: directory missing");
            }
            else if (!File.Exists(full))
                problems.Add($"{name}: missing");
            else if (new FileInfo(full).Length is var actual && actual != size)
                problems.Add($"{name}: {actual} bytes, expected {size}");
        }
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!resources.ContainsKey(name))
                problems.Add($"{name}: not in the checkpoint's resources");
        }
        if (problems.Count > 0)
            throw new InvalidDataException($"the download of checkpoint {uuid} does not match its resources: {string.Join("; ", problems)}");
    }
}
