using System.Diagnostics;
using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

/// <summary>A trial launch on several slots starts one worker process per slot, each with its rank; one failed worker ends them all.</summary>
public sealed class DistributedLaunchTests
{
    private static readonly Dictionary<string, string> TwoWorkers = new()
    {
        ["WORLD_SIZE"] = "2", ["LOCAL_WORLD_SIZE"] = "2", ["LOCAL_SIZE"] = "2", ["RANK"] = "0", ["LOCAL_RANK"] = "0",
        ["GROUP_RANK"] = "0", ["CROSS_RANK"] = "0", ["GROUP_WORLD_SIZE"] = "1", ["CROSS_SIZE"] = "1",
    };

    [Fact]
    public async Task Launch_StartsOneWorkerPerSlot_WithItsRankAndSlot_AndTagsEachLineWithTheRank()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        master.Enqueue(AgentUnderTest.Shell(allocation,
            "echo \"rank=$RANK local=$LOCAL_RANK world=$WORLD_SIZE local_world=$LOCAL_WORLD_SIZE slots=$DET_SLOT_IDS chief=$DET_CHIEF_IP\"; echo err >&2",
            TwoWorkers, slots: [0, 1]));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(0, exited.Event.ExitCode);
        var logs = master.LogsOf(allocation);
        Assert.Contains(logs, l => l is { Log: "[rank=0] rank=0 local=0 world=2 local_world=2 slots=[0] chief=127.0.0.1\n", RankId: 0, Stdtype: "stdout" });
        Assert.Contains(logs, l => l is { Log: "[rank=1] rank=1 local=1 world=2 local_world=2 slots=[1] chief=127.0.0.1\n", RankId: 1, Stdtype: "stdout" });
        Assert.Contains(logs, l => l is { Log: "[rank=1] err\n", RankId: 1, Stdtype: "stderr" });
        Assert.Equal(4, logs.Count);
    }

    [Fact]
    public async Task Launch_StopsTheOtherWorkers_AndExitsWithTheFailedWorkersCode_WhenOneWorkerFails()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var clock = Stopwatch.StartNew();

        // Rank 1 fails once rank 0 is up; rank 0 would run for ten minutes.
        master.Enqueue(AgentUnderTest.Shell(allocation,
            "if [ \"$RANK\" = 1 ]; then while [ ! -f ready ]; do sleep 0.05; done; exit 7; fi; touch ready; echo waiting; exec sleep 600",
            TwoWorkers, slots: [0, 1]));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(7, exited.Event.ExitCode);
        Assert.Null(exited.Event.Signal);
        Assert.Contains("rank 1 exited with code 7", exited.Event.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), $"the allocation took {clock.Elapsed} to end");
        Assert.Contains(master.LogsOf(allocation), l => l is { Log: "[rank=0] waiting\n", RankId: 0 });
    }

    [Fact]
    public async Task Launch_FailsWithTheReason_WhenLocalWorldSizeDoesNotMatchTheSlots()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo never", TwoWorkers, slots: [0]));
        var exited = await master.ExitedAsync(allocation);

        Assert.Null(exited.Event.ExitCode);
        Assert.Contains("LOCAL_WORLD_SIZE=2 must equal the launch's 1 slot(s)", exited.Event.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(master.LogsOf(allocation), l => l.Log.Contains("never", StringComparison.Ordinal));
    }
}
