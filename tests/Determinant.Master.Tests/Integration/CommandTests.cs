using System.Net;
using System.Text.Json.Nodes;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Tests.Integration;

/// <summary>Commands as tasks of their own: launched through the task layer, owned, listed, killed; driven through a fake agent.</summary>
public sealed class CommandTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ACommand_IsLaunchedWithItsOwnersEnvironment_AndEndsWithItsProcess(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();

        var created = await admin.PostOkAsync("/api/v1/commands", new { configYaml = "description: say hello\n", entrypoint = new[] { "echo hello" } });
        var id = (string)created["command"]!["id"]!;
        Assert.Equal("say hello", (string)created["command"]!["description"]!);
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal(id, launch.TaskId);
        Assert.Equal("COMMAND", launch.TaskType);
        Assert.Equal(["sh", "-c", "echo hello"], launch.Argv);
        Assert.Equal("admin", launch.Env["DET_USER"]);
        Assert.Equal(id, launch.Env["DET_TASK_ID"]);

        // The task's user token acts as its owner while the task lives.
        using var asTask = new HttpClient { BaseAddress = host.Client.BaseAddress };
        asTask.DefaultRequestHeaders.Authorization = new("Bearer", launch.Env["DET_USER_TOKEN"]);
        Assert.Equal("admin", (string)(await asTask.GetJsonAsync("/api/v1/me"))["user"]!["username"]!);
        Assert.Equal("STATE_RUNNING", (string)(await admin.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["state"]!);

        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        var ended = (await admin.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!;
        Assert.Equal("STATE_TERMINATED", (string)ended["state"]!);
        Assert.Equal("exited with code 0", (string)ended["exitStatus"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asTask.GetAsync("/api/v1/me")).StatusCode);
        Assert.Contains(id, (await admin.GetJsonAsync("/api/v1/tasks"))["tasks"]!.AsArray().Select(t => (string)t!["id"]!));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task OnlyItsOwnerOrAnAdmin_SeesOrKillsACommand_AndAQueuedOneEndsAtOnce(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw-1", admin = false });
        await admin.PostOkAsync("/api/v1/users", new { username = "bob", password = "bob-pw-12", admin = false });
        var alice = await host.LoginAsync("alice", "alice-pw-1");
        var bob = await host.LoginAsync("bob", "bob-pw-12");

        // No agent: the command waits for its slot.
        var id = (string)(await alice.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "sleep", "100" } }))["command"]!["id"]!;
        Assert.Equal("STATE_QUEUED", (string)(await alice.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["state"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync($"/api/v1/commands/{id}")).StatusCode);
        await bob.PostProblemAsync($"/api/v1/commands/{id}/kill", new { }, HttpStatusCode.Forbidden);
        Assert.Empty((await bob.GetJsonAsync("/api/v1/commands"))["commands"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync($"/api/v1/tasks/{id}/logs")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = host.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/commands")).StatusCode);

        var killed = (await alice.PostOkAsync($"/api/v1/commands/{id}/kill"))["command"]!;
        Assert.Equal("STATE_TERMINATED", (string)killed["state"]!);
        Assert.Equal("killed before it started", (string)killed["exitStatus"]!);

        // An agent that registers now gets nothing to run.
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        Assert.Empty(await agent.PollAsync(1));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ABadConfig_IsRefusedWithItsPath_AndNothingIsCreated(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var problem = await admin.PostProblemAsync("/api/v1/commands",
            new { configYaml = "resources:\n  slots: -1\n", entrypoint = new[] { "true" } }, HttpStatusCode.BadRequest);
        Assert.Contains("resources.slots", problem.ToJsonString(), StringComparison.Ordinal);
        await admin.PostProblemAsync("/api/v1/commands", new { configYaml = "colour: red\n", entrypoint = new[] { "true" } }, HttpStatusCode.BadRequest);
        await admin.PostProblemAsync("/api/v1/commands", new { entrypoint = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        Assert.Empty((await admin.GetJsonAsync("/api/v1/commands"))["commands"]!.AsArray());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AKillAskedForBeforeTheAgentReRegisters_AfterAMasterRestart_ReachesTheAgentWhenItDoes(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var db = await TestDatabase.CreateAsync(database);
        var host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
        try
        {
            var admin = await host.LoginAsync();
            using (var agent = new FakeAgent(host, "node", 1))
            {
                await agent.RegisterAsync();
                await admin.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "sleep", "600" } });
                var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
                (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
                await host.DisposeAsync();

                // The new master knows the command from its database, but no agent has listed it yet when the kill comes.
                host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
                admin = await host.LoginAsync();
                var id = launch.TaskId;
                Assert.Equal("STATE_TERMINATING", (string)(await admin.PostOkAsync($"/api/v1/commands/{id}/kill"))["command"]!["state"]!);

                using var back = new FakeAgent(host, "node", 1);
                await back.RegisterAsync(new AgentAllocation(launch.AllocationId, id, AllocationStates.Running));
                var kill = (await back.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill;
                Assert.Equal(launch.AllocationId, kill?.AllocationId);
                (await back.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 143)).EnsureSuccessStatusCode();
                Assert.Equal("killed", (string)(await admin.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["exitStatus"]!);
            }
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
