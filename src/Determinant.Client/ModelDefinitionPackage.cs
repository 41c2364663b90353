using Determinant.Protocol.Api;

namespace Determinant.Client;

/// <summary>The files of a model directory that go to the master, after <c>.detignore</c> and the default ignores.</summary>
/// <remarks>
/// <see cref="Scan"/> only lists the files and adds up their sizes, so a caller can refuse an oversized directory
/// (the master's limit is <see cref="DefaultLimitBytes"/>) before anything is read; <see cref="ReadFiles"/> reads them.
/// </remarks>
public sealed class ModelDefinitionPackage
{
    /// <summary>The master's default limit on a model definition: 95 MiB.</summary>
    public const long DefaultLimitBytes = 95L * 1024 * 1024;

    private readonly string _root;
    private readonly List<(string Path, string FullPath, bool Directory, long Size)> _entries;

    private ModelDefinitionPackage(string root, List<(string, string, bool, long)> entries)
    {
        _root = root;
        _entries = entries;
    }

    /// <summary>The relative paths of the files and directories to send, in order.</summary>
    public IReadOnlyList<string> Paths => _entries.Select(e => e.Path).ToList();

    /// <summary>The number of regular files.</summary>
    public int FileCount => _entries.Count(e => !e.Directory);

    /// <summary>The files' sizes added up, in bytes.</summary>
    public long TotalBytes => _entries.Sum(e => e.Size);

    /// <summary>Lists the model directory's files, skipping ignored ones and ignored directories with all they hold.</summary>
    /// <param name="directory">The model directory.</param>
    /// <returns>The package, whose files are not read yet.</returns>
    /// <exception cref="DirectoryNotFoundException">There is no such directory.</exception>
    public static ModelDefinitionPackage Scan(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
        var detignore = Path.Combine(root, ".detignore");
        var rules = new IgnoreRules(IgnoreRules.Defaults.Concat(File.Exists(detignore) ? File.ReadAllLines(detignore) : []));
        var entries = new List<(string, string, bool, long)>();
        Walk(root, "", rules, entries);
        return new ModelDefinitionPackage(root, entries);
    }

    /// <summary>Reads the files into the records the API takes (base64 content, mode, mtime).</summary>
    /// <returns>One record per file and directory.</returns>
    /// <exception cref="IOException">A file could not be read.</exception>
    public IReadOnlyList<ModelDefinitionFile> ReadFiles() => _entries.Select(e =>
    {
        var info = e.Directory ? (FileSystemInfo)new DirectoryInfo(e.FullPath) : new FileInfo(e.FullPath);
        var mode = OperatingSystem.IsWindows() ? (e.Directory ? 493 : 420) : (int)info.UnixFileMode;
        var mtime = new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
        return e.Directory
            ? new ModelDefinitionFile(e.Path, ModelDefinitionFile.Directory, "", mode, mtime)
            : new ModelDefinitionFile(e.Path, ModelDefinitionFile.RegularFile, Convert.ToBase64String(File.ReadAllBytes(e.FullPath)), mode, mtime);
    }).ToList();

    /// <summary>The model directory's full path.</summary>
    public override string ToString() => _root;

    private static void Walk(string directory, string prefix, IgnoreRules rules, List<(string, string, bool, long)> entries)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var relative = prefix + Path.GetFileName(path);
            var isDirectory = Directory.Exists(path);
            if (rules.IsIgnored(relative, isDirectory))
                continue;
            if (isDirectory)
            {
                // A linked directory could lead out of the model directory or around in a circle.
                if (new DirectoryInfo(path).LinkTarget is not null)
                    continue;
                entries.Add((relative, path, true, 0));
                Walk(path, relative + "/", rules, entries);
            }
            else if (File.Exists(path))
                entries.Add((relative, path, false, new FileInfo(path).Length));
        }
    }
}
