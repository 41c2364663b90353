namespace Determinant.Cli.Deploy;

/// <summary>The last lines of a log file, for error messages.</summary>
internal static class LogTail
{
    public static string Of(string path, int lines)
    {
        if (!File.Exists(path))
            return "(no log written)";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var tail = new Queue<string>();
        while (reader.ReadLine() is { } line)
        {
            tail.Enqueue("  " + line);
            if (tail.Count > lines)
                tail.Dequeue();
        }
        return tail.Count == 0 ? "(the log is empty)" : string.Join('\n', tail);
    }
}
