using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;
using Xunit.Abstractions;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// The real master, a real agent with two CPU slots and the real harness running examples/iris/distributed.yaml: two
/// worker processes that rendezvous through the master and average their gradients over TCP (docs/distributed.md).
/// </summary>
public sealed class DistributedTrainingTests(ITestOutputHelper output)
{
    private const string AgentId = "e2e-ddp";

    [Fact]
    public async Task DistributedIris_OnATwoSlotAgent_CompletesAboveNinetyPercent_WithTheLogsOfBothRanks()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, AgentId, slots: 2);
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);

        var id = await admin.CreateExperimentAsync(DistributedYaml(), files: ModelDefinitionUpload.Iris());
        await WaitForStateAsync(admin, id, "STATE_COMPLETED", agent, 240);

        var trial = (await admin.TrialsAsync(id))[0]!;
        var trialId = (int)trial["id"]!;
        Assert.Equal(("STATE_COMPLETED", 0, 5000L), ((string)trial["state"]!, (int)trial["restarts"]!, (long)trial["totalBatchesProcessed"]!));
        // Only the chief reports: one training report per scheduling unit, as a single worker would make.
        var training = await MetricsAsync(admin, trialId, "training");
        Assert.Equal(Enumerable.Range(1, 50).Select(i => i * 100L), training.Select(m => (long)m!["stepsCompleted"]!));
        var validation = await MetricsAsync(admin, trialId, "validation");
        Assert.Equal([1000L, 2000, 3000, 4000, 5000], validation.Select(m => (long)m!["stepsCompleted"]!));
        var accuracy = (double)validation[^1]!["metrics"]!["avgMetrics"]!["val_categorical_accuracy"]!;
        Assert.True(accuracy >= 0.9, $"val_categorical_accuracy {accuracy}");

        var lines = await LogLinesAsync(admin, trialId);
        output.WriteLine(string.Join('\n', lines.Select(l => (string?)l["log"] ?? "").Where(l => l.Contains("gradient averaging took", StringComparison.Ordinal))));
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Contains(lines, l => (int?)l["rankId"] == rank && ((string?)l["log"] ?? "").StartsWith($"[rank={rank}] ", StringComparison.Ordinal));
            Assert.Contains(lines, l => ((string?)l["log"] ?? "").Contains($"[rank={rank}] ", StringComparison.Ordinal)
                && ((string?)l["log"] ?? "").Contains($"worker {rank} of 2 connected", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task KilledWorker_StopsTheAllocation_AndTheTrialResumesFromItsCheckpointAndCompletes()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var agent = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, AgentId + "-kill", slots: 2);
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);
        var config = DistributedYaml().Replace("batches: 5000", "batches: 1000", StringComparison.Ordinal) + "\nmin_checkpoint_period:\n  batches: 200\n";
        var id = await admin.CreateExperimentAsync(config, files: ModelDefinitionUpload.Iris());

        await AgentProtocolTests.PollUntilAsync(async () =>
            (await admin.GetJsonAsync($"/api/v1/experiments/{id}/checkpoints"))["checkpoints"]!.AsArray().Count > 0, "a first checkpoint", 120);
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        var pid = TrialProcesses.FindWorker([agent], trialId, rank: 1).Pid;
        Assert.True(pid > 0, "the rank 1 worker was not found");
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        await WaitForStateAsync(admin, id, "STATE_COMPLETED", agent, 240);
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_COMPLETED", 1, 2, 1000L), ((string)trial["state"]!, (int)trial["restarts"]!, (int)trial["runId"]!, (long)trial["totalBatchesProcessed"]!));
        var training = await MetricsAsync(admin, trialId, "training");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 100L), training.Select(m => (long)m!["stepsCompleted"]!));
        Assert.Contains(training, m => (int)m!["trialRunId"]! == 2);
        var lines = await LogLinesAsync(admin, trialId);
        Assert.Contains(lines, l => ((string?)l["log"] ?? "").Contains("rank 1 exited with code 137", StringComparison.Ordinal));
        Assert.Contains(lines, l => ((string?)l["log"] ?? "").Contains("[rank=1] ", StringComparison.Ordinal)
            && ((string?)l["log"] ?? "").Contains("resumed from checkpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DistributedIris_OnAOneSlotCluster_IsRefusedAtSubmit_WithAMessageAboutSlots()
    {
        var (agentFolder, _) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        await using var agent = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, AgentId + "-one", slots: 1);
        var admin = await host.LoginAsync();
        await WaitForAgentAsync(admin, agent);

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config = DistributedYaml(), modelDefinition = ModelDefinitionUpload.Iris() },
            HttpStatusCode.BadRequest);

        var line = (string)Assert.Single(problem["errors"]!.AsArray(), e => ((string)e!).StartsWith("<config>.resources.slots_per_trial", StringComparison.Ordinal))!;
        Assert.Contains("at most 1", line, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    private static string DistributedYaml()
    {
        var text = File.ReadAllText(Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris", "distributed.yaml"));
        Assert.Contains("slots_per_trial: 2", text, StringComparison.Ordinal);
        Assert.Contains("batches: 5000", text, StringComparison.Ordinal);
        return text;
    }

    private static async Task<List<JsonNode>> LogLinesAsync(HttpClient admin, int trialId)
    {
        var logs = await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs")).Content.ReadAsStringAsync();
        return [.. logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["result"]!)];
    }

    private static async Task<JsonArray> MetricsAsync(HttpClient admin, int trialId, string group) =>
        (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group={group}"))["metrics"]!.AsArray();

    private static Task WaitForAgentAsync(HttpClient admin, AgentProcess agent) =>
        AgentProtocolTests.PollUntilAsync(async () => (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Count == 1,
            "the agent to register; its output:\n" + agent.Output, 60);

    private static async Task WaitForStateAsync(HttpClient admin, int id, string state, AgentProcess agent, int seconds)
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
