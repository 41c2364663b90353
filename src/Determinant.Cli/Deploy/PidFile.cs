using System.Globalization;

namespace Determinant.Cli.Deploy;

/// <summary>
/// A pid file that also records the process's start time (field 22 of <c>/proc/PID/stat</c>), so a pid the kernel has
/// since given to another process is recognised as stale and never signalled.
/// </summary>
internal sealed class PidFile(string path)
{
    public string Path { get; } = path;

    public void Write(int pid)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var start = StartTime(pid) ?? throw new CliException(ExitCodes.Failure, $"process {pid} ended right after it was started");
        File.WriteAllText(Path, $"{pid.ToString(CultureInfo.InvariantCulture)} {start}\n");
    }

    /// <summary>The recorded pid when that very process still runs; null when there is no pid file or it is stale.</summary>
    public int? LivePid()
    {
        if (!File.Exists(Path))
            return null;
        var parts = File.ReadAllText(Path).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid))
            return null;
        return StartTime(pid) == parts[1] ? pid : null;
    }

    public bool Exists => File.Exists(Path);

    public void Delete() => File.Delete(Path);

    /// <summary>The start time in clock ticks since boot, or null when no such process runs (a zombie counts as ended).</summary>
    public static string? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && fields[0] != "Z" ? fields[19] : null;
    }
}
