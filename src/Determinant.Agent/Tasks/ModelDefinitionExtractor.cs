using System.Formats.Tar;
using System.IO.Compression;

namespace Determinant.Agent.Tasks;

/// <summary>
/// Extracts a model definition (a gzip-compressed tar) into a directory. Only files and directories are accepted, and
/// an entry whose path is absolute or leaves the directory (<c>..</c>) fails the whole extraction.
/// </summary>
internal static class ModelDefinitionExtractor
{
    public static async Task ExtractAsync(Stream archive, string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory).TrimEnd('/') + "/";
        await using var gzip = new GZipStream(archive, CompressionMode.Decompress, leaveOpen: true);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
        {
            var target = TargetPath(root, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = CreateMode(entry.Mode) };
                    await using (var output = new FileStream(target, file))
                    {
                        if (entry.DataStream is { } data)
                            await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                    }
                    break;
                default:
                    throw new InvalidDataException($"model definition entry '{entry.Name}' is a {entry.EntryType}; only files and directories are allowed");
            }
        }
    }

    private static string TargetPath(string root, string name)
    {
        var normalized = name.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Split('/').Contains(".."))
            throw new InvalidDataException($"model definition entry '{name}' is absolute or escapes the working directory");
        var target = Path.GetFullPath(Path.Combine(root, normalized));
        if (!(target + "/").StartsWith(root, StringComparison.Ordinal))
            throw new InvalidDataException($"model definition entry '{name}' escapes the working directory");
        return target;
    }

    // Owner read/write always, so the agent can clean up; execute bits as archived (scripts stay runnable).
    private static UnixFileMode CreateMode(UnixFileMode archived) =>
        (archived & (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) | UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
