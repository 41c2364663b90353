using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Determinant.Bench;

/// <summary>
/// Resident memory of an idle master: the Release master started as its own process (temp data dir, free port), polled
/// until <c>/health</c> answers, left idle, then VmRSS read from /proc. Baseline in the same run: a minimal ASP.NET Core
/// app (this binary's <see cref="HealthServer"/> mode, one <c>/health</c> route on Kestrel) started and measured the
/// same way, with the master's GC mode.
/// </summary>
internal sealed class MasterRssBenchmark : IBenchmark
{
    private const double TargetMb = 250;
    private const int Samples = 5;
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SampleGap = TimeSpan.FromMilliseconds(200);

    public string Name => "master-rss";

    public string Description => $"idle master resident memory < {TargetMb} MB (baseline: minimal ASP.NET Core app)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string repositoryRoot)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        var scratch = Directory.CreateTempSubdirectory("det-rss-bench-").FullName;
        try
        {
            var masterDir = await MasterBuildAsync(output, repositoryRoot, scratch);
            var serverGc = ServerGc(Path.Combine(masterDir, "determinant-master.runtimeconfig.json"));
            var dataDir = Directory.CreateDirectory(Path.Combine(scratch, "data")).FullName;
            var masterPort = FreePort();
            var master = await MeasureAsync(masterPort, [Path.Combine(masterDir, "determinant-master.dll"), "--data-dir", dataDir,
                "--port", masterPort.ToString(CultureInfo.InvariantCulture), "--listen-address", "127.0.0.1",
                "--initial-password", BenchMaster.Password], serverGc: null);
            var basePort = FreePort();
            var baseline = await MeasureAsync(basePort, [typeof(MasterRssBenchmark).Assembly.Location, HealthServer.Switch,
                basePort.ToString(CultureInfo.InvariantCulture)], serverGc);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   idle master VmRSS {master:F1} MB; minimal ASP.NET Core app VmRSS {baseline:F1} MB (server GC {serverGc}); ratio {master / baseline:F2}x; target < {TargetMb} MB: {(master < TargetMb ? "holds" : "MISSED")}"));
            output.WriteLine($"   machine after: {Stats.MachineLoad()}");
            return master < TargetMb;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The Release master in <c>.det-build/master</c> when it is newer than its sources, else a fresh Release build.</summary>
    private static async Task<string> MasterBuildAsync(TextWriter output, string repositoryRoot, string scratch)
    {
        var built = Path.Combine(repositoryRoot, ".det-build", "master");
        var dll = Path.Combine(built, "determinant-master.dll");
        var sources = Path.Combine(repositoryRoot, "src", "Determinant.Master");
        var newestSource = Directory.EnumerateFiles(sources, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MaxValue).Max();
        if (File.Exists(dll) && File.GetLastWriteTimeUtc(dll) > newestSource)
        {
            output.WriteLine($"   master: {dll}");
            return built;
        }
        var outDir = Path.Combine(scratch, "master");
        output.WriteLine($"   master: .det-build/master missing or older than its sources; building Release into {outDir}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "build", sources, "-c", "Release", "-o", outDir, "--artifacts-path", Path.Combine(scratch, "artifacts"), "-nologo", "-v", "q" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var build = Process.Start(start)!;
        var stdout = build.StandardOutput.ReadToEndAsync();
        var stderr = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"master build failed ({build.ExitCode}):\n{await stdout}\n{await stderr}");
        return outDir;
    }

    /// <summary>Starts <c>dotnet ARGS</c>, waits for <c>/health</c>, idles, and returns the largest VmRSS sample in MB.</summary>
    private static async Task<double> MeasureAsync(int port, string[] arguments, bool? serverGc)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        if (serverGc is { } gc)
            start.Environment["DOTNET_gcServer"] = gc ? "1" : "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await WaitHealthyAsync(process, port);
            await Task.Delay(Idle);
            var max = 0.0;
            for (var i = 0; i < Samples; i++)
            {
                max = Math.Max(max, VmRssMb(process.Id));
                await Task.Delay(SampleGap);
            }
            return max;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Stop(process);
            throw new InvalidOperationException($"{string.Join(' ', arguments)}: {e.Message}\n{await stdout}\n{await stderr}", e);
        }
        finally
        {
            Stop(process);
        }
    }

    private static async Task WaitHealthyAsync(Process process, int port)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < HealthDeadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"exited with {process.ExitCode} before /health answered");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"/health did not answer within {HealthDeadline.TotalSeconds} s");
    }

    private static void Stop(Process process)
    {
        if (process.HasExited)
            return;
        process.Kill(entireProcessTree: true);
        process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static double VmRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    private static bool? ServerGc(string runtimeConfig) =>
        File.Exists(runtimeConfig)
            ? (bool?)JsonNode.Parse(File.ReadAllText(runtimeConfig))?["runtimeOptions"]?["configProperties"]?["System.GC.Server"] ?? false
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
