using Determinant.Master.Domain;
using System.Formats.Tar;
using System.IO.Compression;
using Determinant.Config;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Checkpoints;

/// <summary>
/// Streams a checkpoint's directory as tar.gz (REFERENCE.md §7.4): <c>GET /api/v1/checkpoints/{uuid}/download</c>, and
/// <c>GET /api/v1/checkpoints/{uuid}</c> with <c>Accept: application/gzip</c>. Only <c>shared_fs</c> and <c>directory</c>
/// storages are readable by the master. Regular files and directories are sent; links are skipped, never followed.
/// <c>?compression=none</c> (or <c>Accept: application/x-tar</c>) sends a plain tar instead: checkpoints are mostly
/// float tensors that gzip barely shrinks, so on a fast link compressing only costs time (the SDK asks for it).
/// </summary>
internal static class CheckpointDownload
{
    public const string GzipMediaType = "application/gzip";

    public const string TarMediaType = "application/x-tar";

    private const int StreamBufferBytes = 1 << 20;

    /// <summary>Whether the request asks for the archive rather than the JSON record.</summary>
    public static bool WantsArchive(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is { } type
            && (type.Equals(GzipMediaType, StringComparison.OrdinalIgnoreCase) || type.Equals(TarMediaType, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Finds the directory (404 for unknown, deleted or missing checkpoints) and answers with the archive stream.</summary>
    public static async Task<IResult> DownloadAsync(Guid uuid, HttpRequest request, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plain = request.Query["compression"].ToString() switch
        {
            "" or "gzip" => !request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is { } type && type.Equals(GzipMediaType, StringComparison.OrdinalIgnoreCase))
                && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Value is { } type && type.Equals(TarMediaType, StringComparison.OrdinalIgnoreCase)),
            "none" => true,
            var other => throw new BadRequestException($"compression '{other}' is not one of gzip, none"),
        };
        var directory = await DirectoryOfAsync(uuid, db, configs, cancellationToken).ConfigureAwait(false);
        return plain
            ? TypedResults.Stream(body => WriteArchiveAsync(directory, body, compress: false, cancellationToken), TarMediaType, $"{uuid:D}.tar")
            : TypedResults.Stream(body => WriteArchiveAsync(directory, body, compress: true, cancellationToken), GzipMediaType, $"{uuid:D}.tar.gz");
    }

    private static async Task<string> DirectoryOfAsync(Guid uuid, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        var row = await db.Checkpoints.AsNoTracking().Where(c => c.Uuid == uuid)
            .Select(c => new { c.State, ExperimentId = db.Trials.Where(t => t.Id == c.TrialId).Select(t => (int?)t.ExperimentId).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"checkpoint {uuid:D} not found");
        if (row.State is CheckpointState.Deleted or CheckpointState.PartiallyDeleted)
            throw new NotFoundException($"checkpoint {uuid:D} was deleted");
        if (row.State != CheckpointState.Completed)
            throw new ConflictException($"checkpoint {uuid:D} is not completed");
        if (row.ExperimentId is not { } experimentId)
            throw new NotFoundException($"checkpoint {uuid:D} belongs to no experiment");
        var configJson = await db.Experiments.AsNoTracking().Where(e => e.Id == experimentId).Select(e => e.ConfigJson)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"checkpoint {uuid:D} not found");
        var baseDirectory = configs.Get(experimentId, configJson).CheckpointStorage switch
        {
            SharedFsStorageConfig sharedFs => sharedFs.BaseDirectory,
            DirectoryStorageConfig local => local.ContainerPath,
            var other => throw new ConflictException(
                $"checkpoint {uuid:D} is in '{other?.Type ?? "no"}' storage, which the master cannot read; only shared_fs and directory can be downloaded"),
        };
        var directory = Path.Combine(baseDirectory, uuid.ToString("D"));
        return Directory.Exists(directory) ? directory : throw new NotFoundException($"the files of checkpoint {uuid:D} are not in {directory}");
    }

    /// <summary>Writes <paramref name="directory"/> as a PAX tar (gzip-compressed or not), entries relative with <c>/</c>, directories first.</summary>
    internal static async Task WriteArchiveAsync(string directory, Stream body, bool compress, CancellationToken cancellationToken)
    {
        // 1 MiB writes to the response instead of one flush per 80 KiB chunk of the tar writer's copy.
        var buffered = new BufferedStream(body, StreamBufferBytes);
        Stream output = compress ? new GZipStream(buffered, CompressionLevel.Fastest, leaveOpen: true) : buffered;
        try
        {
            var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
            await using (tar.ConfigureAwait(false))
                await WriteDirectoryAsync(tar, new DirectoryInfo(directory), "", cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (compress)
                await output.DisposeAsync().ConfigureAwait(false);
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteDirectoryAsync(TarWriter tar, DirectoryInfo directory, string prefix, CancellationToken cancellationToken)
    {
        foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is not null)
                continue;
            var name = prefix + entry.Name;
            if (entry is DirectoryInfo child)
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, name + "/") { ModificationTime = child.LastWriteTimeUtc }, cancellationToken)
                    .ConfigureAwait(false);
                await WriteDirectoryAsync(tar, child, name + "/", cancellationToken).ConfigureAwait(false);
            }
            else if (entry is FileInfo file)
            {
                var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, StreamBufferBytes, FileOptions.SequentialScan);
                await using (source.ConfigureAwait(false))
                {
                    var tarEntry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = source, ModificationTime = file.LastWriteTimeUtc };
                    await tar.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
