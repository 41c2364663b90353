using System.Diagnostics;
using Determinant.Master.Tests.Integration;
using Xunit.Abstractions;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// The "cluster" reliability promise: SIGKILL the master during a search and start it again on the same data dir; the
/// search completes, no metrics report is lost or doubled, and the searcher decides as in a run that was never interrupted.
/// Real processes throughout: master, agent, and the harness running examples/iris.
/// </summary>
public sealed class MasterCrashTests(ITestOutputHelper output)
{
    private const int SchedulingUnit = 50;
    private const int ValidationPeriod = 100;

    // Adaptive ASHA over four iris trials: a fixed experiment seed gives the same hyperparameters, CPU training with the
    // trial seed gives the same metrics, and so the same promotions and closes. Aggressive mode makes one bracket (rungs
    // at 100 and 400 batches) in which only the fourth result at 100 can promote, and it promotes the best of the four
    // whatever order they arrived in: arrival order is timing, which a master crash changes. val_loss rather than
    // accuracy, which on 30 test rows ties often. MKL_CBWR: libtorch's MKL sgemm otherwise sums in an order that depends
    // on the buffers' alignment, so two runs of one trial differ in the last bit now and then.
    private const string SearchConfig = """
        name: iris_master_crash
        hyperparameters:
          learning_rate:
            type: log
            minval: -3.0
            maxval: -1.0
            base: 10
          learning_rate_decay: 1.0e-6
          layer1_dense_size:
            type: int
            minval: 4
            maxval: 32
          global_batch_size:
            type: int
            minval: 5
            maxval: 30
        searcher:
          name: adaptive_asha
          metric: val_loss
          smaller_is_better: true
          max_length:
            batches: 400
          max_trials: 4
          mode: aggressive
        min_validation_period:
          batches: 100
        scheduling_unit: 50
        records_per_epoch: 120
        reproducibility:
          experiment_seed: 1234
        entrypoint: model_def:IrisTrial
        environment:
          environment_variables:
            - MKL_CBWR=COMPATIBLE
        """;

    [Fact]
    public async Task Search_CompletesWithGaplessMetricsAndTheSameDecisions_WhenTheMasterIsKilledAndRestarted()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        var masterFolder = await ClusterBinaries.GetMasterAsync();

        // The uninterrupted reference runs beside the interrupted run, on its own master, agent and data dir.
        var referenceRun = RunAsync(agentFolder, harness, masterFolder, "reference", crash: false);
        var crashedRun = RunAsync(agentFolder, harness, masterFolder, "crashed", crash: true);
        // Both finish (and kill their processes) before the test ends, even when one fails.
        await Task.WhenAll(referenceRun, crashedRun);
        var (reference, crashed) = (await referenceRun, await crashedRun);

        foreach (var (run, results) in new[] { ("reference", reference), ("crashed", crashed) })
        {
            output.WriteLine($"{run}:\n  {string.Join("\n  ", Decisions(results).Concat(Validations(results)))}");
            Assert.Equal(4, results.Count);
            Assert.All(results, AssertGaplessReports);
            // A master restart adopts the running allocations: no trial restarts.
            Assert.All(results, t => Assert.Equal(0, t.Restarts));
        }
        Assert.Equal(Decisions(reference), Decisions(crashed));
        Assert.Equal(Validations(reference), Validations(crashed));
    }

    private async Task<IReadOnlyList<TrialResult>> RunAsync(string agentFolder, string harness, string masterFolder, string name, bool crash)
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ProcessCluster.StartAsync(agentFolder, harness, masterFolder, $"e2e-{name}", slots: 2);
        output.WriteLine($"{name}: master and agent up after {clock.Elapsed.TotalSeconds:0.0} s");
        var admin = await cluster.Master.LoginAsync();
        try
        {
            var id = await admin.CreateExperimentAsync(SearchConfig, files: ModelDefinitionUpload.Iris());
            var beforeKill = 0;
            if (crash)
            {
                // Mid-search: the searcher has taken a validation, and the experiment still has work.
                await AgentProtocolTests.PollUntilAsync(async () => await AnyValidationAsync(admin, id), "a first validation; " + cluster.Output, 120);
                Assert.Equal("STATE_ACTIVE", await admin.ExperimentStateAsync(id));
                beforeKill = (await ProcessCluster.ResultsAsync(admin, id)).Sum(t => t.Training.Count);
                output.WriteLine($"{name}: killing the master after {clock.Elapsed.TotalSeconds:0.0} s, {beforeKill} training reports stored");
                await cluster.KillAndRestartMasterAsync();
                admin.Dispose();
                admin = await cluster.Master.LoginAsync();
                output.WriteLine($"{name}: the new master answers after {clock.Elapsed.TotalSeconds:0.0} s");
            }
            await cluster.WaitForCompletedAsync(admin, id, 150);
            var results = await ProcessCluster.ResultsAsync(admin, id);
            output.WriteLine($"{name}: completed after {clock.Elapsed.TotalSeconds:0.0} s");
            foreach (var restarted in results.Where(t => t.Restarts > 0))
                output.WriteLine($"{name}: trial {restarted.Id} restarted; its errors:\n{await ProcessCluster.ErrorLinesAsync(admin, restarted.Id)}");
            if (crash)
                Assert.True(results.Sum(t => t.Training.Count) > beforeKill, "the search had finished training before the master was killed");
            return results;
        }
        finally
        {
            admin.Dispose();
        }
    }

    private static async Task<bool> AnyValidationAsync(HttpClient admin, int id)
    {
        foreach (var trial in await admin.TrialsAsync(id))
        {
            if ((await admin.GetJsonAsync($"/api/v1/trials/{(int)trial!["id"]!}/metrics?group=validation"))["metrics"]!.AsArray().Count > 0)
                return true;
        }
        return false;
    }

    /// <summary>A report every scheduling unit (training) and every validation period plus the end (validation), each once.</summary>
    private static void AssertGaplessReports(TrialResult trial)
    {
        Assert.True(trial.TotalBatches > 0, $"trial {trial.Id} trained nothing");
        var training = Enumerable.Range(1, (int)(trial.TotalBatches / SchedulingUnit)).Select(i => (long)i * SchedulingUnit);
        Assert.Equal(training, trial.Training.Select(m => m.Steps));
        var validation = Enumerable.Range(1, (int)(trial.TotalBatches / ValidationPeriod)).Select(i => (long)i * ValidationPeriod).ToList();
        if (trial.TotalBatches % ValidationPeriod != 0)
            validation.Add(trial.TotalBatches);
        Assert.Equal(validation, trial.Validation.Select(m => m.Steps));
    }

    /// <summary>What the searcher decided: which trials (by hyperparameters) ran, how far, and how they ended.</summary>
    private static List<string> Decisions(IReadOnlyList<TrialResult> trials) =>
        [.. trials.Select(t => $"{t.Hparams} -> {t.TotalBatches} batches, {t.State}").Order(StringComparer.Ordinal)];

    /// <summary>Every validation of every trial, to the last bit: what the decisions were made from.</summary>
    private static List<string> Validations(IReadOnlyList<TrialResult> trials) =>
        [.. trials.Select(t => $"{t.Hparams}: {string.Join(", ", t.Validation.Select(v => $"{v.Steps}: {v.Metrics}"))}").Order(StringComparer.Ordinal)];

}
