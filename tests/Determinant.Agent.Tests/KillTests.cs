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
        master.Enqueue(AgentUnderTest.Shell(allocation, "sleep 300 & echo child=$!; wait"));
        var line = await master.LineAsync(allocation, "child=");
        var child = int.Parse(line.Log.Trim()["child=".Length..], CultureInfo.InvariantCulture);
        Assert.True(IsAlive(child));

        master.Enqueue(kill: new KillCommand(allocation, Graceful: true));
        await master.ExitedAsync(allocation);

        await Eventually.TrueAsync(() => !IsAlive(child), $"the background child {child} to end");
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            // Field 3 is the state; a zombie (Z) has ended and waits only to be reaped.
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
