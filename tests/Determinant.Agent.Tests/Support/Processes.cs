namespace Determinant.Agent.Tests.Support;

/// <summary>The host's processes as <c>/proc</c> shows them; a task's own pids live in its pid namespace.</summary>
internal static class Processes
{
    /// <summary>Whether <paramref name="pid"/> runs; a zombie (state Z) has ended and waits only to be reaped.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Waits for the one live process whose argv is <paramref name="argv"/>, and returns its host pid.</summary>
    public static async Task<int> SingleAsync(params string[] argv) =>
        (int)await Eventually.GetAsync<object>(() => WithCommandLine(argv) is [var pid] ? pid : null, $"the process '{string.Join(' ', argv)}'");

    /// <summary>The live processes whose argv is exactly <paramref name="argv"/> (the program by its name).</summary>
    public static IReadOnlyList<int> WithCommandLine(params string[] argv)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
                continue;
            try
            {
                var parts = File.ReadAllText(Path.Combine(directory, "cmdline")).TrimEnd('\0').Split('\0');
                if (parts.Length == argv.Length && Path.GetFileName(parts[0]) == argv[0] && parts.Skip(1).SequenceEqual(argv.Skip(1)) && IsAlive(pid))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Ended meanwhile.
            }
        }
        return found;
    }
}
