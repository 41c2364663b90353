namespace Determinant.Config;

/// <summary>
/// Agent-side paths are POSIX whatever the machine that validates the config, so they are handled as text here
/// rather than with <see cref="System.IO.Path"/>.
/// </summary>
internal static class PosixPath
{
    public static bool IsAbsolute(string path) => path.StartsWith('/');

    /// <summary>Like joining in a shell: an absolute <paramref name="child"/> replaces <paramref name="parent"/>.</summary>
    public static string Join(string parent, string child) =>
        IsAbsolute(child) ? child : parent.EndsWith('/') ? parent + child : $"{parent}/{child}";

    /// <summary>Removes <c>.</c>, empty segments and <c>..</c> with the segment before it; a relative path may keep leading <c>..</c>.</summary>
    public static string Normalize(string path)
    {
        var absolute = IsAbsolute(path);
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
                continue;
            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
                segments.RemoveAt(segments.Count - 1);
            else if (segment != ".." || !absolute)
                segments.Add(segment);
        }
        var joined = string.Join('/', segments);
        return absolute ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it; both must be normalised.</summary>
    public static bool IsWithin(string path, string directory) =>
        path == directory || path.StartsWith(directory == "/" ? "/" : directory + "/", StringComparison.Ordinal);
}
