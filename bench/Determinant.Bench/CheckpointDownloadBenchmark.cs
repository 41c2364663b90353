using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Determinant.Bench;

/// <summary>
/// <c>./det checkpoint download</c> of a 100 MiB checkpoint (ten 10 MiB files of random bytes) from a local master (in this
/// process, SQLite, shared_fs storage), in MB/s. Baseline in the same run: <c>cp -r</c> of the same directory on the same
/// disk. The master streams a tar.gz, so the download pays for gzip on both ends; the target is half of <c>cp</c>'s speed or
/// 100 MB/s, whichever is lower.
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
            var downloads = new List<double>();
            var copies = new List<double>();
            for (var round = 0; round < 4; round++)
            {
                var target = Path.Combine(home, $"download-{round}");
                downloads.Add(Timed(() => Check(CliProcess.Run(det, ["checkpoint", "download", uuid, "-o", target], environment), "det checkpoint download")));
                var copy = Path.Combine(home, $"copy-{round}");
                copies.Add(Timed(() => Check(CliProcess.Run("cp", ["-r", source, copy]), "cp -r")));
                Directory.Delete(target, recursive: true);
                Directory.Delete(copy, recursive: true);
            }
            // The first round warms the page cache and the JIT; the rest are measured.
            var mb = (double)Files * FileBytes / 1e6;
            var download = mb / (Stats.Median(downloads.Skip(1)) / 1000);
            var cp = mb / (Stats.Median(copies.Skip(1)) / 1000);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   det checkpoint download: {download:F0} MB/s (median of 3, {Stats.Median(downloads.Skip(1)):F0} ms for {mb:F0} MB); cp -r: {cp:F0} MB/s ({Stats.Median(copies.Skip(1)):F0} ms); ratio {download / cp:F2}"));
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
