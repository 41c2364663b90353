using System.Diagnostics;

namespace Determinant.Bench;

/// <summary>
/// Closed-loop load: each of N workers sends its next request as soon as the previous one answered, until the time
/// or its request budget runs out. Reports requests per second and every request's latency.
/// </summary>
internal static class LoadLoop
{
    public static async Task<LoadResult> RunAsync(int workers, TimeSpan duration, int maxPerWorker, Func<int, long, Task> request)
    {
        var latencies = new List<double>[workers];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(Math.Min(maxPerWorker, 1 << 16));
            for (long i = 0; i < maxPerWorker && Stopwatch.GetElapsedTime(start) < duration; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                await request(w, i).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return Result(latencies, start, cpuBefore);
    }

    /// <summary>
    /// Open-loop load at a fixed rate: each worker sends request i at start + i x <paramref name="interval"/> (staggered
    /// across workers), or at once when it is behind. A latency counts from the planned send time, so a stalled server
    /// is not hidden by requests that were never sent (no coordinated omission).
    /// </summary>
    public static async Task<LoadResult> RunPacedAsync(int workers, TimeSpan duration, TimeSpan interval, Func<int, long, Task> request)
    {
        var latencies = new List<double>[workers];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var perWorker = (long)(duration / interval);
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>((int)perWorker);
            var offset = interval * w / workers;
            for (long i = 0; i < perWorker; i++)
            {
                var planned = offset + interval * i;
                var wait = planned - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait).ConfigureAwait(false);
                await request(w, i).ConfigureAwait(false);
                mine.Add((Stopwatch.GetElapsedTime(start) - planned).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        return Result(latencies, start, cpuBefore);
    }

    private static LoadResult Result(List<double>[] latencies, long start, TimeSpan cpuBefore)
    {
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(all.Length, elapsed, cpu, all);
    }
}

/// <summary>
/// One load run: how many requests answered in how long, this process's CPU time meanwhile (client and server), and
/// the latencies (ms, sorted). CPU per request is the steadier figure on a shared machine.
/// </summary>
internal sealed record LoadResult(int Requests, double Seconds, double CpuSeconds, double[] SortedLatencies)
{
    public double PerSecond => Requests / Seconds;

    public double CpuMicrosecondsPerRequest => CpuSeconds * 1e6 / Requests;

    public double Percentile(double p) => Stats.Percentile(SortedLatencies, p);
}
