using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>The real master (SQLite), the real agent process and the real harness running examples/iris.</summary>
public sealed class IrisOnAgentTests
{
    [Fact]
    public async Task IrisTrial_RunsOnTheAgentToCompletion_WithMetricsCheckpointAndLogs()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host, agentFolder, "e2e-agent");
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);

        var config = IrisConfig(maxBatches: 1000, validationPeriod: 500, checkpointPeriod: null);
        var id = await admin.CreateExperimentAsync(config, files: ModelDefinitionUpload.Iris());
        await WaitForStateAsync(admin, id, "STATE_COMPLETED", agent);

        var trial = (await admin.TrialsAsync(id))[0]!;
        var trialId = (int)trial["id"]!;
        Assert.Equal(("STATE_COMPLETED", 0, 1000L), ((string)trial["state"]!, (int)trial["restarts"]!, (long)trial["totalBatchesProcessed"]!));
        var training = await MetricsAsync(admin, trialId, "training");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 100L), training.Select(m => (long)m!["stepsCompleted"]!));
        Assert.All(training, m => Assert.NotNull(m!["metrics"]!["avgMetrics"]!["loss"]));
        var validation = await MetricsAsync(admin, trialId, "validation");
        Assert.Equal([500L, 1000L], validation.Select(m => (long)m!["stepsCompleted"]!));
        Assert.InRange((double)validation[^1]!["metrics"]!["avgMetrics"]!["val_categorical_accuracy"]!, 0.0, 1.0);

        var checkpoints = (await admin.GetJsonAsync($"/api/v1/experiments/{id}/checkpoints"))["checkpoints"]!.AsArray();
        var latest = checkpoints.Single(c => (string)c!["state"]! == "STATE_COMPLETED" && (long)c["metadata"]!["steps_completed"]! == 1000);
        var metadata = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(host.DataDir, "checkpoints", (string)latest!["uuid"]!, "metadata.json")))!;
        Assert.Equal(1000L, (long)metadata["steps_completed"]!);

        var logs = await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs")).Content.ReadAsStringAsync();
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["result"]!).ToList();
        Assert.Contains(lines, l => (string?)l["stdtype"] == "stdout" && ((string?)l["log"] ?? "").Contains("exits", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KilledTrialProcess_CountsARestart_AndResumesFromItsLatestCheckpoint()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host, agentFolder, "e2e-kill");
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);
        var id = await admin.CreateExperimentAsync(IrisConfig(maxBatches: 20000, validationPeriod: 10000, checkpointPeriod: 200), files: ModelDefinitionUpload.Iris());

        // SIGKILL the trial process once it has a checkpoint.
        await AgentProtocolTests.PollUntilAsync(async () =>
            (await admin.GetJsonAsync($"/api/v1/experiments/{id}/checkpoints"))["checkpoints"]!.AsArray().Count > 0, "a first checkpoint", 120);
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        var pid = TrialProcesses.Find(agent, ".1", trialId);
        Assert.True(pid > 0, "the trial process was not found");
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        await WaitForStateAsync(admin, id, "STATE_COMPLETED", agent, 240);
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_COMPLETED", 1, 2, 20000L), ((string)trial["state"]!, (int)trial["restarts"]!, (int)trial["runId"]!, (long)trial["totalBatchesProcessed"]!));
        var training = await MetricsAsync(admin, trialId, "training");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => i * 100L), training.Select(m => (long)m!["stepsCompleted"]!));
        Assert.Contains(training, m => (int)m!["trialRunId"]! == 2);
    }

    [Fact]
    public async Task ResumedTrial_RestoresTheNewestIntactCheckpoint_AndSaysWhyInItsLogs_WhenTheLatestIsCorrupt()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host, agentFolder, "e2e-corrupt");
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);
        var id = await admin.CreateExperimentAsync(IrisConfig(maxBatches: 5000, validationPeriod: 5000, checkpointPeriod: 200), files: ModelDefinitionUpload.Iris());

        // Paused after two periodic checkpoints, the trial writes a third as it stops.
        await AgentProtocolTests.PollUntilAsync(async () => (await CheckpointsAsync(admin, id)).Count >= 2, "two checkpoints", 120);
        await admin.PostOkAsync($"/api/v1/experiments/{id}/pause");
        var taskId = (string)(await admin.TrialsAsync(id))[0]!["taskId"]!;
        await AgentProtocolTests.PollUntilAsync(() => NoLiveAllocationAsync(host, taskId), "the paused trial's process to exit", 120);
        var byStep = (await CheckpointsAsync(admin, id)).OrderBy(c => (long)c["metadata"]!["steps_completed"]!).ToList();
        var (latest, earlier) = ((string)byStep[^1]["uuid"]!, byStep[^2]);
        var model = Path.Combine(host.DataDir, "checkpoints", latest, "model.dat");
        var bytes = await File.ReadAllBytesAsync(model);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(model, bytes);

        await admin.PostOkAsync($"/api/v1/experiments/{id}/activate");
        await WaitForStateAsync(admin, id, "STATE_COMPLETED", agent, 240);

        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_COMPLETED", 0, 5000L), ((string)trial["state"]!, (int)trial["restarts"]!, (long)trial["totalBatchesProcessed"]!));
        var logs = await (await admin.GetAsync($"/api/v1/trials/{(int)trial["id"]!}/logs")).Content.ReadAsStringAsync();
        Assert.Matches($"checkpoint {latest} is corrupt: model.dat has SHA-256 [0-9a-f]{{64}} but [0-9a-f]{{64}} was recorded; "
            + $"restoring from checkpoint {(string)earlier["uuid"]!} \\(batch {(long)earlier["metadata"]!["steps_completed"]!}\\) instead", logs);
    }

    [Fact]
    public async Task NextTrial_RunsInTheStandbyHarness_AndTrainsLikeAFreshProcess()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host, agentFolder, "e2e-standby");
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);
        // Same experiment seed, so both trials get the same trial seed and train the same batches in the same order.
        var config = IrisConfig(maxBatches: 300, validationPeriod: 300, checkpointPeriod: null) + "\nreproducibility:\n  experiment_seed: 7\n";

        var fresh = await admin.CreateExperimentAsync(config, files: ModelDefinitionUpload.Iris());
        await WaitForStateAsync(admin, fresh, "STATE_COMPLETED", agent);
        await AgentProtocolTests.PollUntilAsync(() => Task.FromResult(agent.Output.Contains(" is ready", StringComparison.Ordinal)), "a ready standby harness", 120);
        var warm = await admin.CreateExperimentAsync(config, files: ModelDefinitionUpload.Iris());
        await WaitForStateAsync(admin, warm, "STATE_COMPLETED", agent);

        var warmTrial = (await admin.TrialsAsync(warm))[0]!;
        Assert.Contains($"takes allocation {(string)warmTrial["taskId"]!}.1", agent.Output, StringComparison.Ordinal);
        var freshLosses = (await MetricsAsync(admin, (int)(await admin.TrialsAsync(fresh))[0]!["id"]!, "training"))
            .Select(m => (double)m!["metrics"]!["avgMetrics"]!["loss"]!).ToList();
        var warmLosses = (await MetricsAsync(admin, (int)warmTrial["id"]!, "training"))
            .Select(m => (double)m!["metrics"]!["avgMetrics"]!["loss"]!).ToList();
        Assert.Equal(3, warmLosses.Count);
        // Not bit for bit: MKL may pick other kernels in another process (docs/torchsharp-on-debian12.md).
        Assert.All(freshLosses.Zip(warmLosses), pair => Assert.Equal(pair.First, pair.Second, 1e-4));
    }

    private static string IrisConfig(int maxBatches, int validationPeriod, int? checkpointPeriod)
    {
        var text = File.ReadAllText(Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris", "const.yaml"));
        var replaced = text.Replace("max_length:\n    batches: 5000", $"max_length:\n    batches: {maxBatches}", StringComparison.Ordinal)
            .Replace("min_validation_period:\n  batches: 1000", $"min_validation_period:\n  batches: {validationPeriod}", StringComparison.Ordinal);
        Assert.NotEqual(text, replaced);
        return checkpointPeriod is { } period ? replaced + $"\nmin_checkpoint_period:\n  batches: {period}\n" : replaced;
    }

    private static async Task<bool> NoLiveAllocationAsync(MasterHost host, string taskId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
        return !await db.Allocations.AnyAsync(a => a.TaskId == taskId && a.State != Data.Entities.AllocationState.Terminated);
    }

    private static async Task<List<JsonNode>> CheckpointsAsync(HttpClient admin, int id) =>
        [.. (await admin.GetJsonAsync($"/api/v1/experiments/{id}/checkpoints"))["checkpoints"]!.AsArray()
            .Where(c => (string)c!["state"]! == "STATE_COMPLETED").Select(c => c!)];

    private static async Task<JsonArray> MetricsAsync(HttpClient admin, int trialId, string group) =>
        (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group={group}"))["metrics"]!.AsArray();

    private static Task WaitForAgentAsync(HttpClient admin, AgentProcess agent) =>
        AgentProtocolTests.PollUntilAsync(async () => (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Count == 1,
            "the agent to register; its output:\n" + agent.Output, 60);

    private static async Task WaitForStateAsync(HttpClient admin, int id, string state, AgentProcess agent, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await admin.ExperimentStateAsync(id) is var current && current != state)
        {
            if (DateTime.UtcNow > deadline || current is "STATE_ERROR" or "STATE_CANCELED")
            {
                var trials = await admin.TrialsAsync(id);
                var logs = trials.Count == 0 ? "" : await (await admin.GetAsync($"/api/v1/trials/{(int)trials[0]!["id"]!}/logs")).Content.ReadAsStringAsync();
                Assert.Fail($"experiment {id} is {current}, not {state}; trials {trials.ToJsonString()}\nlogs:\n{logs}\nagent:\n{agent.Output}");
            }
            await Task.Delay(100);
        }
    }
}
