using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Determinant.Bench;

/// <summary>
/// <c>./det experiment list</c> against a local master (in this process, SQLite) holding 50 experiments, logged in with
/// a stored token as a user would be. Baselines in the same run: the same <c>GET /api/v1/experiments</c> from an HttpClient
/// in this process (the master's share), and an empty .NET process (the runtime's share).
/// </summary>
internal sealed class CliExperimentListBenchmark : IBenchmark
{
    private const double TargetMilliseconds = 300;

    private const string Config = """
        name: cli-list-bench
        entrypoint: "true"
        searcher:
          name: single
          metric: loss
          max_length: {batches: 1000}
        """;

    public string Name => "cli-experiment-list";

    public string Description => $"`det experiment list` p50 < {TargetMilliseconds} ms against a local master (baselines: the HTTP request alone, an empty .NET process)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output, repositoryRoot).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output, string repositoryRoot)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        var det = CliProcess.EnsureDet(repositoryRoot);
        await using var master = await BenchMaster.StartAsync("det-cli-list-bench-");
        using var admin = await master.LoginAsync();
        for (var i = 0; i < 50; i++)
        {
            var created = await admin.PostAsJsonAsync("/api/v1/experiments", new { config = Config, activate = false, modelDefinition = Array.Empty<object>() });
            created.EnsureSuccessStatusCode();
        }
        var home = Directory.CreateTempSubdirectory("det-cli-list-home-").FullName;
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
            var list = CliProcess.Time(3, 20, det, ["experiment", "list"], environment);
            var http = new List<double>();
            for (var i = 0; i < 23; i++)
            {
                var started = Stopwatch.GetTimestamp();
                (await admin.GetStringAsync("/api/v1/experiments?limit=200&archived=false&users=admin")).Length.ToString(CultureInfo.InvariantCulture);
                if (i >= 3)
                    http.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            http.Sort();
            var empty = CliProcess.Time(3, 20, "dotnet", [typeof(CliExperimentListBenchmark).Assembly.Location, Noop.Switch]);
            CliVersionBenchmark.Print(output, "./det experiment list (50 experiments)", list, empty);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   the same GET in this process: p50 {Stats.Percentile(http, 50):F1} ms; empty .NET process: p50 {Stats.Percentile(empty, 50):F0} ms"));
            output.WriteLine($"   machine after: {Stats.MachineLoad()}");
            return Stats.Percentile(list, 50) < TargetMilliseconds;
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
