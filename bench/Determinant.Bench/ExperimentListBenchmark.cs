using System.Diagnostics;
using System.Globalization;
using Determinant.Master.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Bench;

/// <summary>
/// Reads on a big database (10,000 experiments, 100,000 trials, seeded through the EF model): the first page of
/// <c>GET /api/v1/experiments</c> (200 requests) and one trial's 5,000 training reports (50 requests), over HTTP to the
/// master on SQLite. Baseline in the same run: the same rows read with raw SQL (Microsoft.Data.Sqlite) on the same file.
/// </summary>
internal sealed class ExperimentListBenchmark : IBenchmark
{
    private const int Experiments = 10_000;
    private const int TrialsEach = 10;
    private const int Reports = 5_000;
    private const double ListP95Target = 300;
    private const double MetricsTarget = 100;

    public string Name => "experiment-list";

    public string Description => $"first page of {Experiments:N0} experiments p95 < {ListP95Target} ms; {Reports:N0} reports read back < {MetricsTarget} ms (baseline: raw SQL)";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        await using var master = await BenchMaster.StartAsync("det-list-bench-");
        using var admin = await master.LoginAsync();
        var seeding = Stopwatch.StartNew();
        var trialId = await ListSeeder.SeedAsync(master, admin, Experiments, TrialsEach, Reports);
        output.WriteLine($"   seeded {Experiments:N0} experiments, {Experiments * TrialsEach:N0} trials, {Reports:N0} reports in {seeding.Elapsed.TotalSeconds:F1} s");
        var list = await TimeAsync(20, 200, async () => (await admin.GetStringAsync("/api/v1/experiments")).Length);
        var metrics = await TimeAsync(5, 50, async () => (await admin.GetStringAsync($"/api/v1/trials/{trialId}/metrics?group=training")).Length);
        string path;
        await using (var scope = master.Services.CreateAsyncScope())
            path = scope.ServiceProvider.GetRequiredService<MasterDbContext>().Database.GetDbConnection().DataSource;
        await using var raw = new SqliteConnection($"Data Source={path}");
        await raw.OpenAsync();
        var rawList = await TimeAsync(20, 200, () => RawAsync(raw, """
            SELECT COUNT(*) FROM experiments WHERE State <> 'Deleted';
            SELECT e.*, u.Username, (SELECT COUNT(*) FROM trials t WHERE t.ExperimentId = e.Id) FROM experiments e
            JOIN users u ON u.Id = e.OwnerId WHERE e.State <> 'Deleted' ORDER BY e.Id LIMIT 200
            """));
        var rawMetrics = await TimeAsync(5, 50, () => RawAsync(raw,
            $"SELECT * FROM metric_reports WHERE TrialId = {trialId} AND \"Group\" = 'training' ORDER BY StepsCompleted"));
        Print(output, "GET /api/v1/experiments (first page of 200)", list, rawList, 95);
        Print(output, $"GET /api/v1/trials/{{id}}/metrics ({Reports:N0} reports)", metrics, rawMetrics, 95);
        output.WriteLine($"   machine after: {Stats.MachineLoad()}");
        return Stats.Percentile(list, 95) < ListP95Target && Stats.Percentile(metrics, 50) < MetricsTarget;
    }

    private static void Print(TextWriter output, string what, List<double> ours, List<double> raw, double p) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {what}: p50 {Stats.Percentile(ours, 50):F1} ms, p{p} {Stats.Percentile(ours, p):F1} ms, max {ours[^1]:F1} ms; raw SQL p50 {Stats.Percentile(raw, 50):F2} ms, p{p} {Stats.Percentile(raw, p):F2} ms; ratio (p50) {Stats.Percentile(ours, 50) / Stats.Percentile(raw, 50):F1}x"));

    private static async Task<List<double>> TimeAsync(int warmUp, int samples, Func<Task<int>> read)
    {
        for (var i = 0; i < warmUp; i++)
            await read();
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await read();
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    private static async Task<int> RawAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var cells = 0;
        do
        {
            while (await reader.ReadAsync())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                    cells += reader.IsDBNull(c) ? 0 : reader.GetValue(c) is string s ? s.Length : 1;
            }
        }
        while (await reader.NextResultAsync());
        return cells;
    }
}
