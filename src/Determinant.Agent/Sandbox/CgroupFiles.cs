using System.Globalization;

namespace Determinant.Agent.Sandbox;

/// <summary>Reads and writes cgroup control files; a cgroup that is already gone reads as empty.</summary>
internal static class CgroupFiles
{
    public static IReadOnlyList<int> ReadPids(string procsFile)
    {
        try
        {
            return [.. File.ReadAllLines(procsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The value of <paramref name="key"/> in a flat keyed file (<c>memory.events</c>, <c>memory.oom_control</c>), or 0.</summary>
    public static long ReadKey(string file, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    return value;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone: nothing to report.
        }
        return 0;
    }

    public static void Write(string file, string value) => File.WriteAllText(file, value);

    public static void Write(string file, long value) => Write(file, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Removes an empty cgroup directory; a missing one is fine.</summary>
    public static void RemoveDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    public static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
            Tasks.ProcessSignals.SignalProcess(pid, Tasks.ProcessSignals.SigKill);
    }
}
