using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;

namespace Determinant.Master.Experiments;

/// <summary>Checks an uploaded model definition and packs it as the gzip-compressed tar the master stores.</summary>
/// <remarks>
/// Every refusal is a 400 naming the entry: what an agent could not extract (a duplicate, <c>.</c> or <c>..</c>, a NUL,
/// a name Linux cannot hold) must fail at submit, not when a trial starts.
/// </remarks>
internal static class ModelDefinitionArchive
{
    /// <summary>The most entries (files and directories) of one model definition.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The longest entry path and the longest name in it, in UTF-8 bytes: Linux's PATH_MAX and NAME_MAX.</summary>
    public const int MaxPathBytes = 4096;

    /// <inheritdoc cref="MaxPathBytes"/>
    public const int MaxNameBytes = 255;

    public static ModelDefinitionEntity Pack(IReadOnlyList<ModelDefinitionFile> files, int limitMib)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count > MaxEntries)
            throw new BadRequestException($"the model definition has {files.Count} entries, over the limit of {MaxEntries} (ModelDefinitionArchive.MaxEntries)");
        var limit = (long)limitMib * 1024 * 1024;
        long total = 0;
        var paths = new Dictionary<string, int>(files.Count, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file is null)
                throw new BadRequestException("a model definition entry is null");
            var path = Normalize(file.Path);
            if (file.Type is not (ModelDefinitionFile.RegularFile or ModelDefinitionFile.Directory))
                throw new BadRequestException($"model definition entry '{file.Path}' has type {file.Type}; only 48 (file) and 53 (directory) are allowed");
            if (!paths.TryAdd(path, file.Type))
                throw new BadRequestException($"model definition path '{file.Path}' appears more than once");
            if (file.Mtime is < MinMtime or > MaxMtime)
            {
                throw new BadRequestException($"model definition entry '{file.Path}' has mtime {file.Mtime}, outside {MinMtime}..{MaxMtime} "
                    + "(Unix seconds from year 1 to 9999)");
            }
            // Decoded size, known from the base64 length before anything is decoded.
            var content = file.Content ?? "";
            total += content.Length / 4 * 3 - (content.EndsWith("==", StringComparison.Ordinal) ? 2 : content.EndsWith('=') ? 1 : 0);
        }
        if (total > limit)
            throw new BadRequestException(
                $"the model definition holds {total} bytes, over the limit of {limitMib} MiB ({limit} bytes); move data out of the model "
                + "directory (bind mounts, a data loader), or raise the master's model_definition_limit_mib "
                + "(flag --model-definition-limit-mib, environment DET_MODEL_DEFINITION_LIMIT_MIB)");
        foreach (var (path, _) in paths)
        {
            // A file cannot also be a directory that holds another entry.
            for (var cut = path.IndexOf('/', StringComparison.Ordinal); cut > 0; cut = path.IndexOf('/', cut + 1))
            {
                if (paths.GetValueOrDefault(path[..cut]) == ModelDefinitionFile.RegularFile)
                    throw new BadRequestException($"model definition path '{path}' lies under '{path[..cut]}', which is a file");
            }
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in files.OrderBy(f => f.Path, StringComparer.Ordinal))
                tar.WriteEntry(ToEntry(file));
        }
        return new ModelDefinitionEntity { Archive = buffer.ToArray(), FileCount = files.Count(f => f.Type == ModelDefinitionFile.RegularFile), TotalSize = total };
    }

    private static PaxTarEntry ToEntry(ModelDefinitionFile file)
    {
        var directory = file.Type == ModelDefinitionFile.Directory;
        var entry = new PaxTarEntry(directory ? TarEntryType.Directory : TarEntryType.RegularFile, Normalize(file.Path) + (directory ? "/" : ""))
        {
            Mode = (UnixFileMode)(file.Mode & 0x1FF),
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(file.Mtime),
        };
        if (!directory)
        {
            try
            {
                entry.DataStream = new MemoryStream(Convert.FromBase64String(file.Content ?? ""));
            }
            catch (FormatException)
            {
                throw new BadRequestException($"model definition file '{file.Path}' has content that is not base64");
            }
        }
        return entry;
    }

    private const long MinMtime = -62_135_596_800;
    private const long MaxMtime = 253_402_300_799;

    /// <summary>
    /// The path as the archive holds it: <c>\</c> as <c>/</c> (the agent reads it so), one trailing <c>/</c> of a directory
    /// dropped. It must be relative, with no empty, <c>.</c> or <c>..</c> part and no control character.
    /// </summary>
    private static string Normalize(string? path)
    {
        if (string.IsNullOrEmpty(path))
            throw new BadRequestException("a model definition entry has an empty path");
        for (var i = 0; i < path.Length; i++)
        {
            if (char.IsControl(path[i]))
            {
                var shown = string.Concat(path.Select(c => char.IsControl(c) ? '?' : c));
                throw new BadRequestException($"model definition path '{shown}' holds the control character U+{(int)path[i]:X4} at position {i}");
            }
        }
        var normalized = path.Replace('\\', '/');
        if (normalized.Length > 1 && normalized.EndsWith('/'))
            normalized = normalized[..^1];
        if (normalized.StartsWith('/') || Path.IsPathRooted(path) || normalized.Split('/').Contains(".."))
            throw new BadRequestException($"model definition path '{path}' is absolute or escapes the model directory with '..'");
        var parts = normalized.Split('/');
        if (parts.Any(p => p is "" or "."))
            throw new BadRequestException($"model definition path '{path}' has an empty or '.' part; send paths relative to the model directory, such as 'pkg/train.py'");
        if (Encoding.UTF8.GetByteCount(normalized) > MaxPathBytes || parts.Any(p => Encoding.UTF8.GetByteCount(p) > MaxNameBytes))
        {
            throw new BadRequestException($"model definition path '{path[..Math.Min(path.Length, 64)]}…' is longer than Linux allows: "
                + $"{MaxPathBytes} bytes in all, {MaxNameBytes} per name (ModelDefinitionArchive.MaxPathBytes, MaxNameBytes)");
        }
        return normalized;
    }

    /// <summary>The stored archive as base64, for <c>GET …/model_def</c>.</summary>
    public static string ToBase64(ModelDefinitionEntity model) => Convert.ToBase64String(model.Archive);
}
