using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Client;

namespace Determinant.Bench;

/// <summary>
/// <c>./det checkpoint download</c> of a 100 MiB checkpoint (ten 10 MiB files of random bytes) from a local master (in this
/// process, SQLite, shared_fs storage), in MB/s, with <c>--mode direct</c> (the default <c>auto</c> reads the storage here)
/// and <c>--mode master</c> (the master's tar stream); and the same two through the SDK in this process, without the CLI's
/// process start. Baseline in the same run: <c>cp -r</c> of the same directory on the same disk. The target (on the CLI's
/// default mode) is half of <c>cp</c>'s speed or 100 MB/s, whichever is lower.
/// </summary>
internal sealed class CheckpointDownloadBenchmark : IBenchmark
{
    private const int Files = 10;
    private const int FileBytes = 10 * 1024 * 1024;
    private const string Config = """
        name: checkpoint-download-bench
        entrypoint: ./train.sh
        searcher:
          name: single
          metric: loss
          max_length: {batches: 1000}
        """;

    public string Name => "checkpoint-download";

    public string Description => "`det checkpoint download` of 100 MiB in MB/s next to `cp -r` of the same files (target: >= min(cp / 2, 100 MB/s))";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string repositoryRoot)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        var det = CliProcess.EnsureDet(repositoryRoot);
        await using var master = await BenchMaster.StartAsync("det-download-bench-");
        using var admin = await master.LoginAsync();
        var uuid = await ReportCheckpointAsync(master, admin);
        var source = Path.Combine(master.DataDir, "checkpoints", uuid);
        var home = Directory.CreateTempSubdirectory("det-download-home-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HOME"] = home, ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"), ["DET_MASTER"] = master.Address.ToString().TrimEnd('/'),
                ["DET_USER"] = "", ["DET_PASS"] = "",
            };
            var login = CliProcess.Run(det, ["user", "login", "admin"], environment, BenchMaster.Password + "\n");
            if (login.Code != 0)
                throw new InvalidOperationException($"det user login failed: {login.Error}");
            var direct = new List<double>();
            var streamed = new List<double>();
            var sdkDirect = new List<double>();
            var sdkStreamed = new List<double>();
            var copies = new List<double>();
            using var client = await DeterminantClient.LoginAsync(master.Address.ToString(), "admin", BenchMaster.Password, CancellationToken.None);
            var checkpoint = await client.GetCheckpointAsync(uuid, CancellationToken.None);
            for (var round = 0; round < 4; round++)
            {
                var target = Path.Combine(home, $"direct-{round}");
                direct.Add(Timed(() => CheckOutput(CliProcess.Run(det, ["checkpoint", "download", uuid, "-o", target], environment), "Read directly")));
                var viaMaster = Path.Combine(home, $"master-{round}");
                streamed.Add(Timed(() => CheckOutput(CliProcess.Run(det, ["checkpoint", "download", uuid, "-o", viaMaster, "--mode", "master"], environment), "Streamed")));
                var copy = Path.Combine(home, $"copy-{round}");
                copies.Add(Timed(() => Check(CliProcess.Run("cp", ["-r", source, copy]), "cp -r")));
                var sdk = Path.Combine(home, $"sdk-direct-{round}");
                sdkDirect.Add(await TimedAsync(() => checkpoint.DownloadAsync(sdk, CheckpointDownloadMode.Direct)));
                var sdkMaster = Path.Combine(home, $"sdk-master-{round}");
                sdkStreamed.Add(await TimedAsync(() => checkpoint.DownloadAsync(sdkMaster, CheckpointDownloadMode.Master)));
                foreach (var made in new[] { target, viaMaster, copy, sdk, sdkMaster })
                    Directory.Delete(made, recursive: true);
            }
            // The first round warms the page cache and the JIT; the rest are measured.
            var mb = (double)Files * FileBytes / 1e6;
            string Rate(string what, List<double> times) => string.Create(CultureInfo.InvariantCulture,
                $"{what}: {mb / (Stats.Median(times.Skip(1)) / 1000):F0} MB/s ({Stats.Median(times.Skip(1)):F0} ms)");
            var download = mb / (Stats.Median(direct.Skip(1)) / 1000);
            var cp = mb / (Stats.Median(copies.Skip(1)) / 1000);
            output.WriteLine($"   medians of 3 rounds, {mb:F0} MB each:");
            output.WriteLine($"   {Rate("det checkpoint download (auto = direct)", direct)}; {Rate("det ... --mode master", streamed)}; {Rate("cp -r", copies)}");
            output.WriteLine($"   in this process (no CLI start): {Rate("SDK direct", sdkDirect)}; {Rate("SDK master stream", sdkStreamed)}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ratio det (auto) / cp: {download / cp:F2}"));
            output.WriteLine($"   machine after: {Stats.MachineLoad()}");
            return download >= Math.Min(cp / 2, 100);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static double Timed(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> TimedAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>The download succeeded the way it was meant to (the CLI says on stderr which way it took).</summary>
    private static void CheckOutput((int Code, string Output, string Error) run, string way)
    {
        Check(run, "det checkpoint download");
        if (!run.Error.Contains(way, StringComparison.Ordinal))
            throw new InvalidOperationException($"det checkpoint download did not report '{way}': {run.Error}");
    }

    private static void Check((int Code, string Output, string Error) run, string what)
    {
        if (run.Code != 0)
            throw new InvalidOperationException($"{what} exited {run.Code}: {run.Error}");
    }

    /// <summary>Writes 100 MiB of random files into the master's storage and reports them as a checkpoint of a new trial.</summary>
    private static async Task<string> ReportCheckpointAsync(BenchMaster master, HttpClient admin)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/experiments", new { config = Config, activate = true, modelDefinition = Array.Empty<object>() });
        created.EnsureSuccessStatusCode();
        var experimentId = (int)(await created.Content.ReadFromJsonAsync<JsonObject>())!["experiment"]!["id"]!;
        var trials = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/experiments/{experimentId}/trials");
        var taskId = (string)trials!["trials"]![0]!["taskId"]!;
        var uuid = Guid.NewGuid().ToString("D");
        var directory = Directory.CreateDirectory(Path.Combine(master.DataDir, "checkpoints", uuid)).FullName;
        var random = new Random(42);
        var buffer = new byte[FileBytes];
        var resources = new Dictionary<string, long>();
        for (var i = 0; i < Files; i++)
        {
            random.NextBytes(buffer);
            var name = $"shard_{i}.bin";
            await File.WriteAllBytesAsync(Path.Combine(directory, name), buffer);
            resources[name] = FileBytes;
        }
        const string metadata = "{\"steps_completed\": 10}";
        await File.WriteAllTextAsync(Path.Combine(directory, "metadata.json"), metadata);
        resources["metadata.json"] = metadata.Length;
        var report = await admin.PostAsJsonAsync("/api/v1/checkpoints", new
        {
            taskId,
            allocationId = taskId + ".1",
            uuid,
            reportTime = DateTimeOffset.UtcNow,
            resources,
            metadata = new { steps_completed = 10 },
            state = "COMPLETED",
        });
        if (!report.IsSuccessStatusCode)
            throw new InvalidOperationException($"reporting the checkpoint failed: {await report.Content.ReadAsStringAsync()}");
        return uuid;
    }
}
