using System.Net;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// A hostile colleague's user token on the routes a task talks to: it may not write log lines into someone else's task,
/// join its rendezvous (and so hang its gang), read or acknowledge its preemption signal. The owner may.
/// </summary>
public sealed class TaskRouteOwnershipTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AnotherUsersToken_CannotWriteIntoOrSignalATask_ItsOwnerCan(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw-1", admin = false });
        await admin.PostOkAsync("/api/v1/users", new { username = "mallory", password = "mallory-pw-1", admin = false });
        var alice = await host.LoginAsync("alice", "alice-pw-1");
        var mallory = await host.LoginAsync("mallory", "mallory-pw-1");
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var taskId = (string)(await alice.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "sleep", "600" } }))["command"]!["id"]!;
        var allocationId = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!.AllocationId;

        object Line(string text) => new
        {
            logs = new[] { new { taskId, allocationId, timestamp = DateTimeOffset.UtcNow, level = "INFO", stdtype = "stdout", source = "user", log = text } },
        };
        await mallory.PostProblemAsync("/api/v1/task/logs", Line("forged by mallory"), HttpStatusCode.Forbidden);
        await mallory.PostProblemAsync($"/api/v1/allocations/{allocationId}/all_gather?timeout_seconds=1", new { numPeers = 2, rank = 1, data = "x" },
            HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await mallory.GetAsync($"/api/v1/allocations/{allocationId}/signals/preemption")).StatusCode);
        await mallory.PostProblemAsync($"/api/v1/allocations/{allocationId}/signals/ack_preemption", new { }, HttpStatusCode.Forbidden);
        await mallory.PostProblemAsync($"/api/v1/allocations/no-such-allocation/all_gather", new { numPeers = 1, rank = 0, data = "x" }, HttpStatusCode.NotFound);

        await alice.PostOkAsync("/api/v1/task/logs", Line("written by alice"));
        Assert.False((bool)(await alice.GetJsonAsync($"/api/v1/allocations/{allocationId}/signals/preemption"))["preempt"]!);
        var logs = await alice.GetStringAsync($"/api/v1/tasks/{taskId}/logs");
        Assert.Contains("written by alice", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("forged by mallory", logs, StringComparison.Ordinal);
    }
}
