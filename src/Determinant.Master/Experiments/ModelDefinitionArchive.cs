using System.Formats.Tar;
using System.IO.Compression;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;

namespace Determinant.Master.Experiments;

/// <summary>Checks an uploaded model definition and packs it as the gzip-compressed tar the master stores.</summary>
internal static class ModelDefinitionArchive
{
    public static ModelDefinitionEntity Pack(IReadOnlyList<ModelDefinitionFile> files, int limitMib)
    {
        ArgumentNullException.ThrowIfNull(files);
        var limit = (long)limitMib * 1024 * 1024;
        long total = 0;
        foreach (var file in files)
        {
            CheckPath(file.Path);
            if (file.Type is not (ModelDefinitionFile.RegularFile or ModelDefinitionFile.Directory))
                throw new BadRequestException($"model definition entry '{file.Path}' has type {file.Type}; only 48 (file) and 53 (directory) are allowed");
            // Decoded size, known from the base64 length before anything is decoded.
            var content = file.Content ?? "";
            total += content.Length / 4 * 3 - (content.EndsWith("==", StringComparison.Ordinal) ? 2 : content.EndsWith('=') ? 1 : 0);
        }
        if (total > limit)
            throw new BadRequestException(
                $"the model definition holds {total} bytes, over the limit of {limitMib} MiB ({limit} bytes); move data out of the model "
                + "directory (bind mounts, a data loader), or raise the master's model_definition_limit_mib "
                + "(flag --model-definition-limit-mib, environment DET_MODEL_DEFINITION_LIMIT_MIB)");

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
        var entry = new PaxTarEntry(directory ? TarEntryType.Directory : TarEntryType.RegularFile, file.Path.TrimEnd('/') + (directory ? "/" : ""))
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

    private static void CheckPath(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new BadRequestException("a model definition entry has an empty path");
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || Path.IsPathRooted(path) || normalized.Split('/').Contains(".."))
            throw new BadRequestException($"model definition path '{path}' is absolute or escapes the model directory with '..'");
    }

    /// <summary>The stored archive as base64, for <c>GET …/model_def</c>.</summary>
    public static string ToBase64(ModelDefinitionEntity model) => Convert.ToBase64String(model.Archive);
}
