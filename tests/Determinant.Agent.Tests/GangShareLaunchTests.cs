using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

/// <summary>
/// This agent's share of a gang across agents (docs/distributed.md): its workers take their ranks from the launch's
/// <c>rankId</c> on, get the chief's address from the master, and are rank-tagged even when the share is one slot.
/// </summary>
public sealed class GangShareLaunchTests
{
    [Fact]
    public async Task ALaunchOfTheSecondNode_StartsItsWorkerAsRankOne_WithTheChiefsAddress_AndTagsItsLines()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var env = new Dictionary<string, string>
        {
            ["WORLD_SIZE"] = "3", ["LOCAL_WORLD_SIZE"] = "1", ["LOCAL_SIZE"] = "1", ["RANK"] = "2", ["LOCAL_RANK"] = "0",
            ["GROUP_RANK"] = "1", ["CROSS_RANK"] = "1", ["GROUP_WORLD_SIZE"] = "2", ["CROSS_SIZE"] = "2", ["DET_CHIEF_IP"] = "10.1.2.3",
        };

        master.Enqueue(AgentUnderTest.Shell(allocation,
            "echo \"rank=$RANK local=$LOCAL_RANK world=$WORLD_SIZE node=$CROSS_RANK slots=$DET_SLOT_IDS chief=$DET_CHIEF_IP\"", env, slots: [0]) with { RankId = 2 });
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(0, exited.Event.ExitCode);
        var line = Assert.Single(master.LogsOf(allocation));
        Assert.Equal(("[rank=2] rank=2 local=0 world=3 node=1 slots=[0] chief=10.1.2.3\n", 2), (line.Log, line.RankId));
    }

    [Fact]
    public async Task AFailedOneSlotShare_ExitsWithItsRanksCode_AndSaysWhichRank()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var env = new Dictionary<string, string> { ["WORLD_SIZE"] = "2", ["LOCAL_WORLD_SIZE"] = "1", ["GROUP_RANK"] = "1", ["DET_CHIEF_IP"] = "127.0.0.1" };

        master.Enqueue(AgentUnderTest.Shell(allocation, "exit 9", env, slots: [0]) with { RankId = 1 });
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal((9, "rank 1 exited with code 9"), (exited.Event.ExitCode, exited.Event.Message));
    }

    [Fact]
    public async Task ALaunchWhoseRanksDoNotFitTheWorld_FailsWithTheReason()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var env = new Dictionary<string, string> { ["WORLD_SIZE"] = "2", ["LOCAL_WORLD_SIZE"] = "1", ["GROUP_RANK"] = "1" };

        master.Enqueue(AgentUnderTest.Shell(allocation, "true", env, slots: [0]) with { RankId = 2 });
        var exited = await master.ExitedAsync(allocation);

        Assert.Null(exited.Event.ExitCode);
        Assert.Contains("must lie within WORLD_SIZE=2", exited.Event.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_NamesTheAgentsAddressTowardTheMaster()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);

        var registration = await Eventually.GetAsync(() => master.RegistrationAt(0), "a registration");

        Assert.Equal("127.0.0.1", registration.Address);
    }
}
