using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class MasterOutageTests
{
    [Fact]
    public async Task Logs_AllArriveInOrderBeforeExit_WhenMasterAnswers503WhileTheTaskWrites()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        // The task waits for a file, then writes 300 lines as fast as it can and exits.
        master.Enqueue(AgentUnderTest.Shell(allocation,
            "echo ready; while [ ! -f go ]; do sleep 0.02; done; i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done"));
        await master.LineAsync(allocation, "ready");

        master.Unavailable = true;
        await File.WriteAllTextAsync(Path.Combine(agent.WorkDir, allocation, "go"), "");
        await Eventually.TrueAsync(() => master.RefusedRequests >= 3, "the agent to retry through the outage");
        Assert.Null(master.EventOf(allocation, AllocationStates.Exited));
        master.Unavailable = false;
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(0, exited.Event.ExitCode);
        var lines = master.LogsOf(allocation).Select(l => l.Log).Where(l => l.StartsWith("line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"line {i}\n"), lines);
        Assert.All(master.Logs.Where(l => l.Log.AllocationId == allocation), l => Assert.True(l.Order < exited.Order));
    }

    [Fact]
    public async Task Register_ListsTheRunningAllocation_WhenMasterRestartsAndForgetsTheAgent()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        master.Enqueue(AgentUnderTest.Shell(allocation, "trap 'echo bye; exit 0' TERM; echo ready; while :; do sleep 0.1; done"));
        await master.LineAsync(allocation, "ready");

        master.Restart();
        var again = await Eventually.GetAsync(() => master.RegistrationAt(1), "a second registration");

        var held = Assert.Single(again.Allocations);
        Assert.Equal(new AgentAllocation(allocation, "1." + allocation, AllocationStates.Running), held);
        // The process kept running through the restart: the new master's kill reaches it and it exits on its own terms.
        master.Enqueue(kill: new KillCommand(allocation));
        var exited = await master.ExitedAsync(allocation);
        Assert.Equal(0, exited.Event.ExitCode);
        Assert.Contains(master.LogsOf(allocation), l => l.Log == "bye\n");
    }
}
