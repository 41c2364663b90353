using System.Globalization;
using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class KillTests
{
    private const string TrapsTerm = "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done";
    private const string IgnoresTerm = "trap '' TERM; echo ready; while :; do sleep 0.1; done";

    [Fact]
    public async Task Kill_ReportsTheTasksOwnExit_WhenGracefulAndProcessTrapsSigterm()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        master.Enqueue(AgentUnderTest.Shell(allocation, TrapsTerm));
        await master.LineAsync(allocation, "ready");

        master.Enqueue(kill: new KillCommand(allocation, Graceful: true));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(0, exited.Event.ExitCode);
        Assert.Null(exited.Event.Signal);
        Assert.Contains(master.LogsOf(allocation), l => l.Log == "bye\n");
    }

    [Fact]
    public async Task Kill_SendsSigkillAfterGracePeriod_WhenProcessIgnoresSigterm()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["kill_grace_seconds"] = "0.3" });
        var allocation = AgentUnderTest.NewAllocationId();
        master.Enqueue(AgentUnderTest.Shell(allocation, IgnoresTerm));
        await master.LineAsync(allocation, "ready");

        master.Enqueue(kill: new KillCommand(allocation, Graceful: true));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(128 + 9, exited.Event.ExitCode);
        Assert.Equal("SIGKILL", exited.Event.Signal);
        Assert.Contains(master.LogsOf(allocation), l => l is { Source: "agent", Stdtype: "stderr" } && l.Log.Contains("SIGKILL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kill_SendsSigkillAtOnce_WhenNotGraceful()
    {
        await using var master = await FakeMaster.StartAsync();
        // A grace period longer than the test's deadline: only an immediate SIGKILL passes.
        await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["kill_grace_seconds"] = "60" });
        var allocation = AgentUnderTest.NewAllocationId();
        master.Enqueue(AgentUnderTest.Shell(allocation, TrapsTerm));
        await master.LineAsync(allocation, "ready");

        master.Enqueue(kill: new KillCommand(allocation, Graceful: false));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(128 + 9, exited.Event.ExitCode);
        Assert.DoesNotContain(master.LogsOf(allocation), l => l.Log == "bye\n");
    }

    [Fact]
    public async Task Kill_ReachesProcessesTheTaskStarted_WhenTheyRunInTheBackground()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        // The task has a pid namespace of its own: its $! is not the host's pid, so the child is found by its unique argument.
        var seconds = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        master.Enqueue(AgentUnderTest.Shell(allocation, $"sleep {seconds} & echo started; wait"));
        await master.LineAsync(allocation, "started");
        var child = await Processes.SingleAsync("sleep", seconds);
        Assert.True(IsAlive(child));

        master.Enqueue(kill: new KillCommand(allocation, Graceful: true));
        await master.ExitedAsync(allocation);

        await Eventually.TrueAsync(() => !IsAlive(child), $"the background child {child} to end");
    }

    private static bool IsAlive(int pid) => Processes.IsAlive(pid);
}
