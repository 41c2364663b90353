using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>The searcher's state survives a master restart: a restarted master makes the decisions an uninterrupted one makes.</summary>
public sealed class SearcherRestartTests
{
    private const string AdaptiveConfig = """
        name: asha-restart
        entrypoint: python3 train.py
        reproducibility: {experiment_seed: 1234}
        hyperparameters:
          lr: {type: log, minval: -4, maxval: -1, base: 10}
          layers: {type: int, minval: 1, maxval: 8}
        searcher:
          name: adaptive_asha
          metric: loss
          max_trials: 6
          max_concurrent_trials: 2
          mode: aggressive
          max_rungs: 3
          divisor: 4
          max_length: {batches: 64}
        """;

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AdaptiveSearch_MakesIdenticalDecisions_AfterAMasterRestart(string database)
    {
        TestDatabases.SkipUnavailable(database);
        var uninterrupted = await RunAsync(database, restartAfter: null);
        var restarted = await RunAsync(database, restartAfter: 3);

        Assert.True(uninterrupted.Count >= 7, $"only {uninterrupted.Count} decisions");
        Assert.Equal(uninterrupted, restarted);
    }

    /// <summary>Drives the search to its end, acting as every trial; returns each op handed out, as "request hparams length".</summary>
    private static async Task<List<string>> RunAsync(string database, int? restartAfter)
    {
        await using var db = await TestDatabase.CreateAsync(database);
        var (dataDir, dbUrl) = (db.DataDir, db.DbUrl);
        var host = await MasterHost.StartAsync(dataDir, dbUrl);
        try
        {
            var admin = await host.LoginAsync();
            var id = await admin.CreateExperimentAsync(AdaptiveConfig);
            var decisions = new List<string>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await admin.ExperimentStateAsync(id) != "STATE_COMPLETED")
            {
                if (DateTime.UtcNow > deadline)
                    Assert.Fail($"the search did not finish in time: {await admin.ExperimentStateAsync(id)} {string.Join("; ", decisions)} {string.Join(" ", (await admin.TrialsAsync(id)).Select(t => $"{t!["id"]}:{t["state"]}:{t["totalBatchesProcessed"]}"))} waiting={string.Join(",", await host.WaitingTrialsAsync())} ops={Ops(host)}");
                if (decisions.Count == restartAfter)
                {
                    restartAfter = null;
                    await host.DisposeAsync();
                    host = await MasterHost.StartAsync(dataDir, dbUrl);
                    admin = await host.LoginAsync();
                }
                var trials = await admin.TrialsAsync(id);
                var waiting = await host.WaitingTrialsAsync();
                var runnable = trials.Where(t => (string)t!["state"]! == "STATE_ACTIVE" && waiting.Contains((int)t["id"]!))
                    .OrderBy(t => (int)t!["id"]!).FirstOrDefault();
                if (runnable is null)
                {
                    // After a restart the master requeues trials with work (TrialRecovery) as it starts; ask again.
                    continue;
                }
                await RunOneOpAsync(host, runnable.AsObject(), decisions);
            }
            return decisions;
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static string Ops(MasterHost host)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
        return string.Join(" ", db.Trials.Select(t => $"{t.Id}:{t.OpLength}:{t.OpCompleted}:{t.RunId}").ToList())
            + " allocs=" + string.Join(" ", db.Allocations.Select(a => $"{a.Id.Substring(40)}:{a.State}:{a.Acked}").ToList());
    }

    private static async Task RunOneOpAsync(MasterHost host, JsonObject trialRow, List<string> decisions)
    {
        var trial = await TrialActor.StartAsync(host, (int)trialRow["id"]!);
        if (await trial.OperationAsync() is { } length)
        {
            var lr = (double)trialRow["hparams"]!["lr"]!;
            var layers = (int)trialRow["hparams"]!["layers"]!;
            decisions.Add($"{trialRow["requestId"]} lr={lr:R} layers={layers} length={length}");
            var loss = Math.Abs(Math.Log10(lr) + 2.5) + (layers * 0.01) + (1.0 / length);
            (await trial.ReportAsync("validation", length, new JsonObject { ["loss"] = loss })).EnsureSuccessStatusCode();
            (await trial.CompleteAsync(length, loss)).EnsureSuccessStatusCode();
        }
        await trial.AckAsync();
        await trial.ExitAsync();
    }
}
