using System.Diagnostics;

namespace Determinant.Bench;

/// <summary>Runs <c>./det</c> (or any command) as a child process with its own environment and times it.</summary>
internal static class CliProcess
{
    public static (int Code, string Output, string Error) Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
            process.StandardInput.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not end within 10 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Wall milliseconds of <paramref name="samples"/> runs after <paramref name="warmUp"/> unmeasured ones, sorted.</summary>
    /// <exception cref="InvalidOperationException">A run exited non-zero.</exception>
    public static List<double> Time(int warmUp, int samples, string file, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var times = new List<double>(samples);
        for (var i = 0; i < warmUp + samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var (code, _, error) = Run(file, args, environment);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (code != 0)
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {code}: {error}");
            if (i >= warmUp)
                times.Add(elapsed);
        }
        times.Sort();
        return times;
    }

    /// <summary>Builds the CLI through the launcher (<c>./det --version</c>) so that later runs measure the command, not a build.</summary>
    public static string EnsureDet(string repositoryRoot)
    {
        var det = Path.Combine(repositoryRoot, "det");
        var (code, _, error) = Run(det, ["--version"]);
        return code == 0 ? det : throw new InvalidOperationException($"./det --version failed: {error}");
    }
}
