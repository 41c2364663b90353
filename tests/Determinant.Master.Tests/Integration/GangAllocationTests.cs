using System.Net.Http.Json;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// A trial larger than every agent spans agents (docs/distributed.md): one launch per agent with its ranks and the
/// chief's registered address; one share failing stops the others, and the trial restarts once every share has exited.
/// </summary>
public sealed class GangAllocationTests
{
    private const string GangConfig = """
        name: gang-test
        entrypoint: "true"
        hyperparameters:
          lr: 0.1
        resources:
          slots_per_trial: 2
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    [Fact]
    public async Task AGangAcrossTwoAgents_GetsOneLaunchPerAgent_AndOneFailedShareStopsTheOther_BeforeTheTrialRestarts()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var a = await RegisterAsync(host, "gang-a", "10.1.2.3");
        using var b = await RegisterAsync(host, "gang-b", "10.1.2.4");

        var id = await admin.CreateExperimentAsync(GangConfig);
        var launchA = (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var launchB = (await b.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;

        Assert.Equal(launchA.AllocationId, launchB.AllocationId);
        Assert.Equal((0, 0, 0, 1), (Assert.Single(launchA.SlotIds), launchA.RankId, Assert.Single(launchB.SlotIds), launchB.RankId));
        Assert.Equal(Ranks("0", "0", "1", "2", "2", "10.1.2.3"), Ranks(launchA));
        Assert.Equal(Ranks("1", "1", "1", "2", "2", "10.1.2.3"), Ranks(launchB));
        Assert.Equal(launchA.Env["DET_SESSION_TOKEN"], launchB.Env["DET_SESSION_TOKEN"]);

        // Rank 1 dies: the master stops rank 0's agent, and the trial waits for it with its slot still held.
        (await b.SendEventAsync(launchB.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
        (await b.SendEventAsync(launchB.AllocationId, AllocationStates.Exited, 137)).EnsureSuccessStatusCode();
        var kill = (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!;
        Assert.Equal(launchA.AllocationId, kill.AllocationId);
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_ACTIVE", 0), ((string)trial["state"]!, (int)trial["restarts"]!));
        Assert.Equal([launchA.AllocationId, null], await SlotOwnersAsync(admin));
        Assert.Empty(await b.PollAsync(0));

        // Rank 0 stops too: the allocation failed with rank 1's code, and the whole gang restarts.
        (await a.SendEventAsync(launchA.AllocationId, AllocationStates.Exited, 143)).EnsureSuccessStatusCode();
        var relaunchA = (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var relaunchB = (await b.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal((launchA.TaskId + ".2", launchA.TaskId + ".2"), (relaunchA.AllocationId, relaunchB.AllocationId));
        Assert.Equal(1, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!);

        // A clean exit of one share is not the allocation's exit: it ends when the last share does.
        (await b.SendEventAsync(relaunchB.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        Assert.Equal("STATE_ACTIVE", await admin.ExperimentStateAsync(id));
        Assert.Empty(await a.PollAsync(0));
        (await a.SendEventAsync(relaunchA.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(id));
        Assert.Equal([null, null], await SlotOwnersAsync(admin));
    }

    [Fact]
    public async Task AnAgentThatLosesItsShare_LosesTheWholeGang_TheOtherAgentIsStopped_AndNoRestartIsCounted()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var a = await RegisterAsync(host, "lost-a", "10.1.2.3");
        using var b = await RegisterAsync(host, "lost-b", "10.1.2.4");
        var id = await admin.CreateExperimentAsync(GangConfig);
        var launchA = (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var launchB = (await b.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Empty(await b.PollAsync(0)); // acknowledges the launch

        await b.RegisterAsync(); // restarted: it lists nothing

        Assert.Equal(launchA.AllocationId, (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!.AllocationId);
        // The whole gang is rescheduled at once (its slots on a were freed with the loss), without a restart counted.
        var relaunchB = (await b.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var relaunchA = (await a.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal((launchB.TaskId + ".2", launchB.TaskId + ".2"), (relaunchA.AllocationId, relaunchB.AllocationId));
        Assert.Equal(0, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!);
        // The stopped share's late exit is for an allocation the master gave up on.
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await a.SendEventAsync(launchA.AllocationId, AllocationStates.Exited, 143)).StatusCode);
    }

    [Fact]
    public async Task Submit_AcceptsAGangTheWholePoolCanHold_AndRefusesOneLargerThanThePool()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var a = await RegisterAsync(host, "pool-a", "10.1.2.3");
        using var b = await RegisterAsync(host, "pool-b", "10.1.2.4");

        await admin.PostOkAsync("/api/v1/experiments", new { config = GangConfig, validateOnly = true });
        var problem = await admin.PostProblemAsync("/api/v1/experiments",
            new { config = GangConfig.Replace("slots_per_trial: 2", "slots_per_trial: 3", StringComparison.Ordinal) }, System.Net.HttpStatusCode.BadRequest);

        var line = (string)Assert.Single(problem["errors"]!.AsArray(), e => ((string)e!).StartsWith("<config>.resources.slots_per_trial", StringComparison.Ordinal))!;
        Assert.Contains("at most 2", line, StringComparison.Ordinal);
        // is_single_node keeps the gang on one agent, so the largest agent is the limit.
        problem = await admin.PostProblemAsync("/api/v1/experiments",
            new { config = GangConfig.Replace("slots_per_trial: 2", "slots_per_trial: 2\n  is_single_node: true", StringComparison.Ordinal) },
            System.Net.HttpStatusCode.BadRequest);
        Assert.Contains("at most 1", (string)problem["errors"]![0]!, StringComparison.Ordinal);
    }

    private static (string, string, string, string, string, string) Ranks(string rank, string groupRank, string localWorld, string world, string groups, string chief) =>
        (rank, groupRank, localWorld, world, groups, chief);

    private static (string, string, string, string, string, string) Ranks(LaunchCommand launch) => (
        launch.Env["RANK"], launch.Env["GROUP_RANK"], launch.Env["LOCAL_WORLD_SIZE"], launch.Env["WORLD_SIZE"], launch.Env["CROSS_SIZE"], launch.Env["DET_CHIEF_IP"]);

    private static async Task<List<string?>> SlotOwnersAsync(HttpClient admin) =>
        [.. (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Select(agent => (string?)agent!["slots"]![0]!["allocationId"])];

    /// <summary>A one-slot agent registered with its address, as the real agent does.</summary>
    private static async Task<FakeAgent> RegisterAsync(MasterHost host, string id, string address)
    {
        using var client = host.AgentClient(id);
        var request = new RegisterAgentRequest(id, id, [new AgentSlot(0, SlotTypes.Cpu, null)], "test", null, [], address);
        (await client.PostAsJsonAsync(AgentRoutes.Register, request, AgentJsonContext.Default.RegisterAgentRequest)).EnsureSuccessStatusCode();
        return new FakeAgent(host, id, 1);
    }
}
