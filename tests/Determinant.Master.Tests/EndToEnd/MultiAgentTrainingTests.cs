using System.Globalization;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;
using Xunit.Abstractions;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// A gang across agents: the real master, two real agents of one CPU slot each and the real harness running
/// examples/iris/distributed.yaml (slots_per_trial 2), so rank 0 runs on one agent and rank 1 on the other; they
/// rendezvous through the master and average their gradients over TCP (docs/distributed.md).
/// </summary>
public sealed class MultiAgentTrainingTests(ITestOutputHelper output)
{
    /// <summary>Two agents share this machine's cores: each gives its worker one thread, as one agent with two slots would.</summary>
    private static readonly Dictionary<string, string> OneThread = new() { ["OMP_NUM_THREADS"] = "1" };

    [Fact]
    public async Task DistributedIris_OnTwoOneSlotAgents_CompletesAboveNinetyPercent_WithRankZeroAndOneOnDifferentAgents()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var first = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, "e2e-gang-a", slots: 1, OneThread);
        await using var second = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, "e2e-gang-b", slots: 1, OneThread);
        var admin = await host.LoginAsync();
        await WaitForAgentsAsync(admin, first, second);

        var id = await admin.CreateExperimentAsync(DistributedYaml(), files: ModelDefinitionUpload.Iris());
        await WaitForStateAsync(admin, id, "STATE_COMPLETED", 300, first, second);

        var trial = (await admin.TrialsAsync(id))[0]!;
        var trialId = (int)trial["id"]!;
        Assert.Equal(("STATE_COMPLETED", 0, 5000L), ((string)trial["state"]!, (int)trial["restarts"]!, (long)trial["totalBatchesProcessed"]!));
        var validation = await MetricsAsync(admin, trialId, "validation");
        Assert.Equal([1000L, 2000, 3000, 4000, 5000], validation.Select(m => (long)m!["stepsCompleted"]!));
        var accuracy = (double)validation[^1]!["metrics"]!["avgMetrics"]!["val_categorical_accuracy"]!;
        output.WriteLine($"val_categorical_accuracy {accuracy}");
        Assert.True(accuracy >= 0.9, $"val_categorical_accuracy {accuracy}");

        // Each agent's lines (the master filters by agent) hold exactly one rank's: rank 0 on one agent, rank 1 on the other.
        var ranksOf = new Dictionary<string, int[]>();
        foreach (var agent in new[] { "e2e-gang-a", "e2e-gang-b" })
        {
            var lines = await LogLinesAsync(admin, trialId, agent);
            ranksOf[agent] = [.. lines.Where(l => l["rankId"] is not null).Select(l => (int)l["rankId"]!).Distinct()];
            var rank = Assert.Single(ranksOf[agent]);
            var connected = lines.First(l => Text(l).StartsWith($"[rank={rank}] ", StringComparison.Ordinal)
                && Text(l).Contains($"worker {rank} of 2 connected", StringComparison.Ordinal));
            output.WriteLine($"{agent}: {Text(connected).TrimEnd()}");
        }
        Assert.Equal([0, 1], ranksOf.Values.Select(r => r[0]).Order());
    }

    [Fact]
    public async Task KilledWorkerOnOneAgent_StopsTheGangOnBothAgents_AndTheTrialResumesFromItsCheckpointAndCompletes()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, "--harness-dir", harness);
        await using var first = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, "e2e-gang-kill-a", slots: 1, OneThread);
        await using var second = await AgentProcess.StartAsync(host.Client.BaseAddress!, agentFolder, "e2e-gang-kill-b", slots: 1, OneThread);
        var admin = await host.LoginAsync();
        await WaitForAgentsAsync(admin, first, second);
        var config = DistributedYaml().Replace("batches: 5000", "batches: 1000", StringComparison.Ordinal) + "\nmin_checkpoint_period:\n  batches: 200\n";
        var id = await admin.CreateExperimentAsync(config, files: ModelDefinitionUpload.Iris());

        await AgentProtocolTests.PollUntilAsync(async () =>
            (await admin.GetJsonAsync($"/api/v1/experiments/{id}/checkpoints"))["checkpoints"]!.AsArray().Count > 0, "a first checkpoint", 120);
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        var (pid, _, env) = TrialProcesses.FindWorker([first, second], trialId, rank: 1);
        var agent = env.FirstOrDefault(e => e.StartsWith("DET_AGENT_ID=", StringComparison.Ordinal))?["DET_AGENT_ID=".Length..] ?? "";
        Assert.True(pid > 0, "the rank 1 worker was not found");
        // The agent's own OMP_NUM_THREADS reaches its workers (they do not inherit the agent's environment otherwise).
        Assert.Contains("OMP_NUM_THREADS=1", File.ReadAllText($"/proc/{pid}/environ").Split('\0'));
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        await WaitForStateAsync(admin, id, "STATE_COMPLETED", 300, first, second);
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_COMPLETED", 1, 2, 1000L), ((string)trial["state"]!, (int)trial["restarts"]!, (int)trial["runId"]!, (long)trial["totalBatchesProcessed"]!));
        // The agent of rank 1 reports its death; the master stops rank 0 on the other agent; both resume from the checkpoint.
        Assert.Contains(await LogLinesAsync(admin, trialId, agent), l => Text(l).Contains("rank 1 exited with code 137", StringComparison.Ordinal));
        var lines = await LogLinesAsync(admin, trialId);
        foreach (var rank in new[] { 0, 1 })
        {
            Assert.Contains(lines, l => Text(l).Contains($"[rank={rank}] ", StringComparison.Ordinal)
                && Text(l).Contains("resumed from checkpoint", StringComparison.Ordinal));
        }
    }

    private static string Text(JsonNode line) => (string?)line["log"] ?? "";

    private static string DistributedYaml()
    {
        var text = File.ReadAllText(Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris", "distributed.yaml"));
        Assert.Contains("slots_per_trial: 2", text, StringComparison.Ordinal);
        return text;
    }

    private static async Task<List<JsonNode>> LogLinesAsync(HttpClient admin, int trialId, string? agentId = null)
    {
        var filter = agentId is null ? "" : $"?agentIds={Uri.EscapeDataString(agentId)}";
        var logs = await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs{filter}")).Content.ReadAsStringAsync();
        return [.. logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!["result"]!)];
    }

    private static async Task<JsonArray> MetricsAsync(HttpClient admin, int trialId, string group) =>
        (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group={group}"))["metrics"]!.AsArray();

    private static Task WaitForAgentsAsync(HttpClient admin, params AgentProcess[] agents) =>
        AgentProtocolTests.PollUntilAsync(async () => (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Count == agents.Length,
            "the agents to register; their output:\n" + string.Join("\n---\n", agents.Select(a => a.Output)), 60);

    private static async Task WaitForStateAsync(HttpClient admin, int id, string state, int seconds, params AgentProcess[] agents)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await admin.ExperimentStateAsync(id) is var current && current != state)
        {
            if (DateTime.UtcNow > deadline || current is "STATE_ERROR" or "STATE_CANCELED")
            {
                var trials = await admin.TrialsAsync(id);
                var logs = trials.Count == 0 ? "" : await (await admin.GetAsync($"/api/v1/trials/{(int)trials[0]!["id"]!}/logs")).Content.ReadAsStringAsync();
                Assert.Fail($"experiment {id} is {current}, not {state}; trials {trials.ToJsonString()}\nlogs:\n{logs}\nagents:\n"
                    + string.Join("\n---\n", agents.Select(a => a.Output)));
            }
            await Task.Delay(100);
        }
    }
}
