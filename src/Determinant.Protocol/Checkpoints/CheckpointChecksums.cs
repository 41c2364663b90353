using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Determinant.Protocol.Checkpoints;

/// <summary>
/// The SHA-256 of every file of a checkpoint, recorded beside them in <see cref="FileName"/> when it is written and
/// checked when it is restored or downloaded.
/// </summary>
/// <remarks>
/// The file has <c>sha256sum</c>'s format (<c>&lt;64 hex digits&gt;  &lt;relative path&gt;</c>, one line per file, sorted),
/// so <c>sha256sum -c sha256sums.txt</c> in the checkpoint's directory checks it too. It is an ordinary file of the
/// checkpoint: Determined's metadata and resources keep their shape. A checkpoint written before the sums were recorded
/// has no such file and is taken as it is.
/// </remarks>
public static class CheckpointChecksums
{
    /// <summary>The name of the sums file in a checkpoint's directory.</summary>
    public const string FileName = "sha256sums.txt";

    /// <summary>Hashes every file under <paramref name="directory"/> and writes <see cref="FileName"/> there.</summary>
    /// <exception cref="IOException">A file cannot be read, or the sums cannot be written.</exception>
    public static void Write(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var lines = new StringBuilder();
        foreach (var relative in Files(directory))
            lines.Append(Sha256Of(Path.Combine(directory, relative))).Append("  ").Append(relative).Append('\n');
        File.WriteAllText(Path.Combine(directory, FileName), lines.ToString(), new UTF8Encoding(false));
    }

    /// <summary>Whether the checkpoint in <paramref name="directory"/> has recorded sums.</summary>
    public static bool AreRecorded(string directory) => File.Exists(Path.Combine(directory, FileName));

    /// <summary>
    /// Checks the files of the checkpoint <paramref name="uuid"/> in <paramref name="directory"/> against its recorded sums.
    /// </summary>
    /// <returns>
    /// Null when every recorded file is there with its sum, or when no sums are recorded; otherwise one sentence naming the
    /// first file (in path order) that is missing or differs, such as <c>checkpoint 3f2a… is corrupt: model.dat has
    /// SHA-256 ab12… but 9f0e… was recorded</c>.
    /// </returns>
    /// <param name="directory">The checkpoint's directory.</param>
    /// <param name="uuid">The checkpoint's id, for the sentence.</param>
    /// <param name="listed">
    /// The files the checkpoint holds now (its <c>resources</c>); a recorded file not among them was removed on purpose
    /// (a partial delete) and is not looked for. Null checks every recorded file.
    /// </param>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static string? FindCorruption(string directory, string uuid, IReadOnlyCollection<string>? listed = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            return $"checkpoint {uuid} is corrupt: its directory {directory} is missing";
        var sums = Path.Combine(directory, FileName);
        if (!File.Exists(sums))
            return null;
        foreach (var line in File.ReadAllLines(sums))
        {
            if (line.Length == 0)
                continue;
            if (line.Length < 67 || line[64] != ' ' || line[65] != ' ')
                return $"checkpoint {uuid} is corrupt: its {FileName} holds the line '{Shorten(line)}', which is not '<sha256>  <file>'";
            var recorded = line[..64];
            var relative = line[66..];
            if (listed is not null && !listed.Contains(relative))
                continue;
            var path = Path.Combine(directory, relative);
            if (!File.Exists(path))
                return $"checkpoint {uuid} is corrupt: {relative} is missing (its SHA-256 {recorded} was recorded)";
            var actual = Sha256Of(path);
            if (!string.Equals(actual, recorded, StringComparison.OrdinalIgnoreCase))
                return $"checkpoint {uuid} is corrupt: {relative} has SHA-256 {actual} but {recorded} was recorded";
        }
        return null;
    }

    /// <summary>Every file under <paramref name="directory"/> but the sums file, as sorted relative paths with <c>/</c>.</summary>
    private static List<string> Files(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != FileName)
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    private static string Shorten(string line) =>
        line.Length <= 80 ? line : string.Create(CultureInfo.InvariantCulture, $"{line[..80]}…");
}
