using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Determinant.Protocol.Api;
using Determinant.Protocol.Checkpoints;

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
    /// into a temporary sibling directory, checks every file against <see cref="Resources"/> and against the SHA-256 sums
    /// recorded when the checkpoint was written (<see cref="CheckpointChecksums"/>), then renames it into place.
    /// </summary>
    /// <param name="path">The directory to create; it must not exist yet (its parent is created when missing).</param>
    /// <param name="progress">Told the number of file bytes extracted so far (out of <see cref="Size"/>); null for none.</param>
    /// <param name="cancellationToken">Cancels the download; nothing is left behind.</param>
    /// <returns>The full path of the directory.</returns>
    /// <exception cref="DeterminantApiException">The request failed (404 for an unknown or deleted checkpoint).</exception>
    /// <exception cref="InvalidDataException">
    /// The archive holds an unsafe entry (absolute path, <c>..</c>, a link or device), its files do not match <see cref="Resources"/>,
    /// or a file differs from its recorded SHA-256 (the message names it).
    /// </exception>
    /// <exception cref="IOException"><paramref name="path"/> already exists, or the files cannot be written.</exception>
    public Task<string> DownloadAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        DownloadAsync(path, CheckpointDownloadMode.Master, progress, cancellationToken);

    /// <summary>
    /// Downloads the checkpoint's files into the new directory <paramref name="path"/>, from its storage directly or through
    /// the master (<paramref name="mode"/>). Either way the files land in a temporary sibling directory, are checked against
    /// <see cref="Resources"/> and the recorded SHA-256 sums, and only then is it renamed to <paramref name="path"/>, so an
    /// interrupted or corrupt download never leaves a complete-looking directory.
    /// </summary>
    /// <param name="path">The directory to create; it must not exist yet (its parent is created when missing).</param>
    /// <param name="mode">
    /// <see cref="CheckpointDownloadMode.Direct"/> reads the <c>shared_fs</c>/<c>directory</c> storage (at disk speed) and fails
    /// when this machine does not see it; <see cref="CheckpointDownloadMode.Master"/> streams a tar from the master;
    /// <see cref="CheckpointDownloadMode.Auto"/> reads directly when it can and otherwise streams.
    /// </param>
    /// <param name="progress">Told the number of file bytes written so far (out of <see cref="Size"/>); null for none.</param>
    /// <param name="cancellationToken">Cancels the download; nothing is left behind.</param>
    /// <returns>The full path of the directory.</returns>
    /// <exception cref="DeterminantApiException">A request failed (404 for an unknown or deleted checkpoint).</exception>
    /// <exception cref="InvalidDataException">An unsafe path or link, files that do not match <see cref="Resources"/>, or one that differs from its recorded SHA-256.</exception>
    /// <exception cref="IOException">
    /// <paramref name="path"/> already exists, the files cannot be written, or (<see cref="CheckpointDownloadMode.Direct"/>) the
    /// storage is not visible from this machine.
    /// </exception>
    public async Task<string> DownloadAsync(string path, CheckpointDownloadMode mode, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var (_, written) = await DownloadWithModeAsync(path, mode, progress, cancellationToken).ConfigureAwait(false);
        return written;
    }

    /// <summary>As <see cref="DownloadAsync(string, CheckpointDownloadMode, IProgress{long}?, CancellationToken)"/>, also telling which way was used.</summary>
    /// <param name="path">The directory to create.</param>
    /// <param name="mode">How to get the files.</param>
    /// <param name="progress">Told the number of file bytes written so far; null for none.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <returns><see cref="CheckpointDownloadMode.Direct"/> or <see cref="CheckpointDownloadMode.Master"/>, and the full path of the directory.</returns>
    /// <exception cref="DeterminantApiException">A request failed.</exception>
    /// <exception cref="InvalidDataException">An unsafe path or link, files that do not match <see cref="Resources"/>, or one that differs from its recorded SHA-256.</exception>
    /// <exception cref="IOException"><paramref name="path"/> already exists, or the files cannot be read or written.</exception>
    public async Task<(CheckpointDownloadMode Used, string Path)> DownloadWithModeAsync(
        string path, CheckpointDownloadMode mode, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        string? source = null;
        if (mode != CheckpointDownloadMode.Master)
        {
            var config = ExperimentId is { } experimentId
                ? (await _client.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false)).Config
                : null;
            (source, var why) = CheckpointStorageCopy.Locate(config, Uuid);
            if (source is null && mode == CheckpointDownloadMode.Direct)
                throw new IOException($"checkpoint {Uuid} cannot be read directly: {why}; use the master's stream (--mode master)");
        }
        if (source is null)
            return (CheckpointDownloadMode.Master, await StreamAsync(path, progress, cancellationToken).ConfigureAwait(false));
        var resources = Resources;
        try
        {
            return (CheckpointDownloadMode.Direct, await IntoNewDirectoryAsync(path, temp =>
            {
                CheckpointStorageCopy.Copy(source, temp, resources, Uuid, progress, cancellationToken);
                return Task.CompletedTask;
            }).ConfigureAwait(false));
        }
        catch (UnauthorizedAccessException) when (mode == CheckpointDownloadMode.Auto)
        {
            // Visible but not readable by this user: the master can still read it.
            progress?.Report(0);
            return (CheckpointDownloadMode.Master, await StreamAsync(path, progress, cancellationToken).ConfigureAwait(false));
        }
    }

    private Task<string> StreamAsync(string path, IProgress<long>? progress, CancellationToken cancellationToken) =>
        IntoNewDirectoryAsync(path, async temp =>
        {
            // A plain tar: weights barely compress, and gzip would bound the download by one core's speed.
            using var response = await _client.Api.OpenStreamAsync($"api/v1/checkpoints/{Uri.EscapeDataString(Uuid)}/download?compression=none", cancellationToken)
                .ConfigureAwait(false);
            var gzip = response.Content.Headers.ContentType?.MediaType == "application/gzip";
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
                await CheckpointArchive.ExtractAsync(body, temp, progress, cancellationToken, gzip).ConfigureAwait(false);
        });

    /// <summary>Fills a temporary sibling of <paramref name="path"/>, checks it against <see cref="Resources"/>, and renames it into place.</summary>
    private async Task<string> IntoNewDirectoryAsync(string path, Func<string, Task> fill)
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
            await fill(temp).ConfigureAwait(false);
            CheckpointArchive.Verify(temp, Resources, Uuid);
            if (CheckpointChecksums.FindCorruption(temp, Uuid, Info.Resources.Select(r => r.Key).ToHashSet(StringComparer.Ordinal)) is { } corruption)
                throw new InvalidDataException(corruption);
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
    private const int CopyBufferBytes = 1 << 20;

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
                            // Unbuffered: CopyAsync writes whole 1 MiB chunks.
                            var file = new FileStream(destination, new FileStreamOptions
                            {
                                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0,
                            });
                            await using (file.ConfigureAwait(false))
                            {
                                var before = written;
                                if (entry.DataStream is { } data)
                                    written = await CopyAsync(data, file, written, progress, cancellationToken).ConfigureAwait(false);
                                if (written - before != entry.Length)
                                    throw new InvalidDataException($"the checkpoint archive ended inside '{entry.Name}' ({written - before} of {entry.Length} bytes)");
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
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        try
        {
            while (true)
            {
                // Fill the buffer before writing: the network hands over a few KiB per read.
                var filled = 0;
                int read;
                while (filled < CopyBufferBytes && (read = await source.ReadAsync(buffer.AsMemory(filled, CopyBufferBytes - filled), cancellationToken).ConfigureAwait(false)) > 0)
                    filled += read;
                if (filled == 0)
                    return written;
                await destination.WriteAsync(buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
                written += filled;
                progress?.Report(written);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
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
