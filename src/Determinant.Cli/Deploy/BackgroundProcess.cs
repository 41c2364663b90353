using System.Diagnostics;

namespace Determinant.Cli.Deploy;

/// <summary>Starts and stops daemons that outlive the CLI: their own session (util-linux <c>setsid</c>), output to a log file.</summary>
internal static class BackgroundProcess
{
    /// <summary>Starts <paramref name="program"/> in a new session, stdin from /dev/null, stdout and stderr appended to the log.</summary>
    /// <returns>The daemon's pid (<c>setsid</c> execs in place, so it is the program's own pid).</returns>
    public static int Start(string program, IEnumerable<string> arguments, string logPath, IReadOnlyDictionary<string, string>? environment = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("""exec setsid "$@" </dev/null >>"$DET_DAEMON_LOG" 2>&1""");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DET_DAEMON_LOG"] = logPath;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new CliException(ExitCodes.Failure, $"could not start {program}");
        return process.Id;
    }

    /// <summary>SIGTERM, then SIGKILL when the process has not ended by the deadline; returns whether it needed SIGKILL.</summary>
    public static async Task<bool> StopAsync(PidFile pidFile, TimeSpan grace, TimeProvider time, CancellationToken cancellationToken)
    {
        if (pidFile.LivePid() is not { } pid)
            return false;
        Signal(pid, "TERM");
        if (await WaitForExitAsync(pidFile, grace, time, cancellationToken).ConfigureAwait(false))
            return false;
        Signal(pid, "KILL");
        await WaitForExitAsync(pidFile, TimeSpan.FromSeconds(10), time, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Polls until the recorded process is gone; true when it ended within the timeout.</summary>
    public static async Task<bool> WaitForExitAsync(PidFile pidFile, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (pidFile.LivePid() is not null)
        {
            if (time.GetElapsedTime(started) > timeout)
                return false;
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static void Signal(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start);
        kill?.WaitForExit();
    }
}
