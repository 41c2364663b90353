namespace Determinant.ModelDefinitions;

/// <summary>Which files of a model definition are compiled: every <c>*.cs</c> file outside <c>bin/</c>, <c>obj/</c> and hidden folders.</summary>
/// <remarks>
/// Every source file is compiled, not only the entrypoint's module, so a definition may spread its classes over files
/// and folders as a project would; build output and hidden folders (<c>.git/</c>, <c>.vs/</c>) are left out.
/// </remarks>
public static class ModelDefinitionSources
{
    /// <summary>Whether the file at <paramref name="relativePath"/> (relative to the definition's root) is compiled.</summary>
    public static bool IsCompiled(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !segments[^1].EndsWith(".cs", StringComparison.Ordinal))
            return false;
        return !segments.Any(s => s is "bin" or "obj" || (s.StartsWith('.') && s != "."));
    }

    /// <summary>Reads the compiled files under <paramref name="root"/>, ordered by path, with <c>/</c>-separated relative paths.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist.</exception>
    public static IReadOnlyList<SourceFile> ReadDirectory(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        // Links to folders are not followed, so a link back up the tree cannot loop.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(root, "*.cs", options)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(IsCompiled)
            .Order(StringComparer.Ordinal)
            .Select(relative => new SourceFile(relative, File.ReadAllText(Path.Combine(root, relative))))
            .ToList();
    }

    /// <summary>The path with <c>/</c> separators and no <c>./</c> segments.</summary>
    /// <exception cref="ArgumentException">The path is empty, rooted, or climbs out of the definition with <c>..</c>.</exception>
    internal static string Normalize(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        if (segments.Count == 0 || Path.IsPathRooted(path) || path.StartsWith('/') || segments.Contains(".."))
            throw new ArgumentException($"source file path '{path}' must be relative to the model definition's root, without '..'", nameof(path));
        return string.Join('/', segments);
    }
}
