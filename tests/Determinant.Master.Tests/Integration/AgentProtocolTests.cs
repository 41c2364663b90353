using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tests.Integration;

public sealed class AgentProtocolTests
{
    private const string TrueConfig = """
        name: true-test
        entrypoint: "true"
        hyperparameters:
          lr: 0.1
        environment:
          environment_variables:
            - EXTRA=yes
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    [Fact]
    public async Task AgentRoutes_RequireACredentialAnAdminIssuedForThatAgentId()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var body = new RegisterAgentRequest("a", "a", [new AgentSlot(0, SlotTypes.Cpu, null)], "test", null, []);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "bob", password = "bob-password" });
        var bob = await host.LoginAsync("bob", "bob-password");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsJsonAsync(AgentRoutes.Register, body)).StatusCode);
        using var wrong = host.AgentClientWithCredential("not-a-credential");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsJsonAsync(AgentRoutes.Register, body)).StatusCode);
        // A user token is not an agent credential, and only an admin issues one.
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsJsonAsync(AgentRoutes.Register, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync("/api/v1/agents/a/credential", null)).StatusCode);
        var issued = await admin.PostOkAsync("/api/v1/agents/a/credential");
        Assert.Equal("a", (string)issued["agentId"]!);
        using var agent = host.AgentClientWithCredential((string)issued["credential"]!);

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/experiments")).StatusCode);
        var registered = (await (await agent.PostAsJsonAsync(AgentRoutes.Register, body)).Content.ReadFromJsonAsync(AgentJsonContext.Default.RegisterAgentResponse))!;
        Assert.Equal(("a", 30, 60, 0L), (registered.AgentId, registered.HeartbeatIntervalSeconds, registered.AgentTimeoutSeconds, registered.CommandsAfter));
        // The credential speaks for agent "a" alone: it can neither register as nor poll for another agent.
        var asB = await agent.PostAsJsonAsync(AgentRoutes.Register, body with { AgentId = "b", Hostname = "b" });
        Assert.Equal(HttpStatusCode.Forbidden, asB.StatusCode);
        Assert.Contains("may not act as agent 'b'", await asB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(AgentRoutes.Commands("b", 0, 0))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync(AgentRoutes.Commands("a", 0, 0))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/v1/agents/bad%20id/credential", null)).StatusCode);

        // A new credential replaces the old; a revoked one stops at once and disconnects its agent.
        var second = (string)(await admin.PostOkAsync("/api/v1/agents/a/credential"))["credential"]!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await agent.GetAsync(AgentRoutes.Commands("a", 0, 0))).StatusCode);
        using var renewed = host.AgentClientWithCredential(second);
        Assert.Equal(HttpStatusCode.OK, (await renewed.GetAsync(AgentRoutes.Commands("a", 0, 0))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync("/api/v1/agents/a/credential")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/v1/agents/a/credential")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await renewed.GetAsync(AgentRoutes.Commands("a", 0, 0))).StatusCode);
        Assert.Empty((await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/v1/agents/a/credential")).StatusCode);
    }

    [Fact]
    public async Task AnAgentsCredential_CannotTouchAnAllocationPlacedOnAnotherAgent()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var victim = new FakeAgent(host, "victim", 1);
        await victim.RegisterAsync();
        var id = await admin.CreateExperimentAsync(TrueConfig);
        var launch = (await victim.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        (await victim.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
        using var rogue = new FakeAgent(host, "rogue", 1);
        await rogue.RegisterAsync();
        using var rogueClient = host.AgentClient("rogue");

        var exit = await rogueClient.PostAsJsonAsync(AgentRoutes.Events("rogue", launch.AllocationId),
            new AllocationEvent(AllocationStates.Exited, DateTimeOffset.UtcNow, 0), AgentJsonContext.Default.AllocationEvent);
        var modelDefinition = await rogueClient.GetAsync(AgentRoutes.ModelDefinition("rogue", launch.AllocationId));
        var log = new { logs = new[] { new { taskId = launch.TaskId, allocationId = launch.AllocationId, timestamp = DateTimeOffset.UtcNow, log = "forged\n", stdtype = "stdout", source = "task", level = "LOG_LEVEL_INFO" } } };
        var logs = await rogueClient.PostAsJsonAsync(AgentRoutes.TaskLogs, log);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (exit.StatusCode, modelDefinition.StatusCode, logs.StatusCode));
        Assert.Equal("STATE_ACTIVE", await admin.ExperimentStateAsync(id));
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        Assert.DoesNotContain("forged", await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (await victim.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(id));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Poll_AnswersAtOnceWithTheLaunch_AndEventsCompleteTheTrialIdempotently(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node-1", 1);
        await agent.RegisterAsync();
        var poll = agent.PollAsync(60);
        await PollUntilAsync(() => Task.FromResult(host.Agents.Find("node-1")!.HeldPolls > 0), "the poll to be held");
        var clock = Stopwatch.StartNew();
        var file = new { path = "train.sh", type = 48, content = Convert.ToBase64String("echo hi\n"u8.ToArray()), mode = 420 };
        var id = await admin.CreateExperimentAsync(TrueConfig, files: [file]);
        var commands = await poll.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the held poll answered after {clock.Elapsed}");

        var launch = Assert.Single(commands).Launch!;
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        Assert.Equal(["sh", "-c", "true"], launch.Argv);
        Assert.Equal([0], launch.SlotIds);
        Assert.Equal(trialId.ToString(System.Globalization.CultureInfo.InvariantCulture), launch.Env["DET_TRIAL_ID"]);
        Assert.Equal(("TRIAL", "1", "0", "1", "yes", "admin"), (launch.Env["DET_TASK_TYPE"], launch.Env["DET_TRIAL_RUN_ID"], launch.Env["RANK"], launch.Env["WORLD_SIZE"], launch.Env["EXTRA"], launch.Env["DET_USER"]));
        Assert.Equal("0", launch.Env["DET_STEPS_COMPLETED"]);
        Assert.False(launch.Env.ContainsKey("DET_LATEST_CHECKPOINT"));
        Assert.StartsWith(host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority).Replace("localhost", "127.0.0.1", StringComparison.Ordinal), launch.Env["DET_MASTER"], StringComparison.Ordinal);
        // The model definition travels inline, and the download route serves the same archive.
        var download = await host.AgentClient(agent.Id).GetAsync(AgentRoutes.ModelDefinition(agent.Id, launch.AllocationId));
        Assert.Equal("application/gzip", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Convert.FromBase64String(launch.ModelDefinition!.TarGzBase64!), await download.Content.ReadAsByteArrayAsync());
        // The session token works on the Core API for this trial.
        using var task = host.WithAllocationToken(launch.Env["DET_SESSION_TOKEN"]);
        Assert.Equal(HttpStatusCode.OK, (await task.GetAsync($"/api/v1/trials/{trialId}/searcher/operation")).StatusCode);
        // The agent ships the logs of the tasks it runs.
        using var agentClient = host.AgentClient(agent.Id);
        var log = new { logs = new[] { new { taskId = launch.TaskId, allocationId = launch.AllocationId, timestamp = DateTimeOffset.UtcNow, log = "hello\n", stdtype = "stdout", source = "task", level = "LOG_LEVEL_INFO" } } };
        (await agentClient.PostAsJsonAsync(AgentRoutes.TaskLogs, log)).EnsureSuccessStatusCode();

        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Starting)).EnsureSuccessStatusCode();
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
        var slot = (await admin.GetJsonAsync("/api/v1/agents"))["agents"]![0]!["slots"]![0]!;
        Assert.Equal(launch.AllocationId, (string)slot["allocationId"]!);
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await agent.SendEventAsync("9.nope.1", AllocationStates.Exited, 0)).StatusCode);

        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(id));
        Assert.Null((await admin.GetJsonAsync("/api/v1/agents"))["agents"]![0]!["slots"]![0]!["allocationId"]);
        var pools = (await admin.GetJsonAsync("/api/v1/resource-pools"))["resourcePools"]!.AsArray();
        Assert.Equal(("default", 1, 1), ((string)pools[0]!["name"]!, (int)pools[0]!["numAgents"]!, (int)pools[0]!["slotsAvailable"]!));
        var logs = await admin.GetAsync($"/api/v1/trials/{trialId}/logs");
        Assert.Contains("hello", await logs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task LostAgent_IsRemovedAndItsTrialRescheduled_WithoutCountingARestart(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database, "--agent-timeout-seconds", "1");
        var admin = await host.LoginAsync();
        using var first = new FakeAgent(host, "first", 1);
        await first.RegisterAsync();
        var id = await admin.CreateExperimentAsync(TrueConfig);
        var launch = (await first.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        (await first.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();

        // The first agent goes silent.
        await PollUntilAsync(async () => (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Count == 0, "the agent to be declared lost");
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_ACTIVE", 0), ((string)trial["state"]!, (int)trial["restarts"]!));
        Assert.Equal(HttpStatusCode.NotFound, (await first.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).StatusCode);

        using var second = new FakeAgent(host, "second", 1);
        await second.RegisterAsync();
        var relaunch = (await second.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal(launch.TaskId + ".2", relaunch.AllocationId);

        // The first agent comes back still holding the old allocation: the master has given up on it and kills it.
        await first.RegisterAsync(new AgentAllocation(launch.AllocationId, launch.TaskId, AllocationStates.Running));
        var kill = (await first.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!;
        Assert.Equal(launch.AllocationId, kill.AllocationId);
        Assert.Equal(0, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!);
    }

    [Fact]
    public async Task Pause_SendsAKillAfterThePreemptionTimeout_AndKillSendsOneAtOnce()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 2);
        await agent.RegisterAsync();
        var first = await admin.CreateExperimentAsync(TrueConfig + "\npreemption_timeout: 1\n");
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;

        await admin.PostOkAsync($"/api/v1/experiments/{first}/pause");
        var stop = await agent.NextCommandAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((launch.AllocationId, true), (stop.Kill!.AllocationId, stop.Kill.Graceful));
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 143)).EnsureSuccessStatusCode();
        Assert.Equal("STATE_PAUSED", await admin.ExperimentStateAsync(first));

        var second = await admin.CreateExperimentAsync(TrueConfig);
        var other = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await admin.PostOkAsync($"/api/v1/experiments/{second}/kill");
        Assert.Equal(other.AllocationId, (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!.AllocationId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the kill took {clock.Elapsed}");
        (await agent.SendEventAsync(other.AllocationId, AllocationStates.Exited, 143)).EnsureSuccessStatusCode();
        Assert.Equal("STATE_CANCELED", await admin.ExperimentStateAsync(second));
    }

    [Fact]
    public async Task Register_LosesAllocationsTheAgentNoLongerLists()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var id = await admin.CreateExperimentAsync(TrueConfig);
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Empty(await agent.PollAsync(0)); // acknowledges the launch

        await agent.RegisterAsync(); // restarted: it lists nothing
        var relaunch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;

        Assert.Equal(launch.TaskId + ".2", relaunch.AllocationId);
        Assert.Equal(0, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Register_LosesAnAllocationAdoptedAfterAMasterRestart_WhenTheRestartedAgentNoLongerListsIt(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var db = await TestDatabase.CreateAsync(database);
        var host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
        try
        {
            var admin = await host.LoginAsync();
            LaunchCommand launch;
            int id;
            using (var before = new FakeAgent(host, "node", 1))
            {
                await before.RegisterAsync();
                id = await admin.CreateExperimentAsync(TrueConfig);
                launch = (await before.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
                (await before.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
            }
            await host.DisposeAsync();
            host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
            admin = await host.LoginAsync();
            using var agent = new FakeAgent(host, "node", 1);
            await agent.RegisterAsync(new AgentAllocation(launch.AllocationId, launch.TaskId, AllocationStates.Running)); // adopted

            await agent.RegisterAsync(); // the agent restarted: its processes are gone and it lists nothing

            var relaunch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
            Assert.Equal(launch.TaskId + ".2", relaunch.AllocationId);
            Assert.Equal(0, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!);
            var slot = (await admin.GetJsonAsync("/api/v1/agents"))["agents"]![0]!["slots"]![0]!;
            Assert.Equal(relaunch.AllocationId, (string?)slot["allocationId"]);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Submit_RefusesMoreSlotsPerTrialThanTheLargestAgent_NamingTheFieldAndTheCount()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var config = TrueConfig + "\nresources:\n  slots_per_trial: 4\n";
        await admin.PostOkAsync("/api/v1/experiments", new { config, validateOnly = true }); // no agent yet: no limit
        using var agent = new FakeAgent(host, "two-slots", 2);
        await agent.RegisterAsync();

        var problem = await admin.PostProblemAsync("/api/v1/experiments", new { config }, HttpStatusCode.BadRequest);

        var line = Assert.Single(problem["errors"]!.AsArray(), e => ((string)e!).StartsWith("<config>.resources.slots_per_trial", StringComparison.Ordinal));
        Assert.Contains("at most 2", (string)line!, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());
    }

    internal static async Task PollUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
