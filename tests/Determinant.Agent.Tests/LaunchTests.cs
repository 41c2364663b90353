using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class LaunchTests
{
    [Fact]
    public async Task Launch_ShipsStdoutAndStderrThenReportsExitCode_WhenProcessExitsWithThree()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo hello; echo oops >&2; exit 3"));
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(3, exited.Event.ExitCode);
        Assert.Null(exited.Event.Signal);
        var logs = master.LogsOf(allocation);
        Assert.Contains(logs, l => l is { Log: "hello\n", Stdtype: "stdout", Source: "task", RankId: 0 } && l.AgentId == agent.AgentId);
        Assert.Contains(logs, l => l is { Log: "oops\n", Stdtype: "stderr" } && l.TaskId == "1." + allocation);
        Assert.All(master.Logs.Where(l => l.Log.AllocationId == allocation), l => Assert.True(l.Order < exited.Order, "a line arrived after EXITED"));
        var states = master.Events.Where(e => e.AllocationId == allocation).Select(e => e.Event.State);
        Assert.Equal([AllocationStates.Starting, AllocationStates.Running, AllocationStates.Exited], states);
    }

    [Fact]
    public async Task Launch_RunsInFreshWorkDirWithTaskEnvironment_WhenCommandCarriesEnv()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var leftover = Path.Combine(agent.WorkDir, allocation);
        Directory.CreateDirectory(leftover);
        await File.WriteAllTextAsync(Path.Combine(leftover, "stale.txt"), "from an earlier run");
        Environment.SetEnvironmentVariable("DET_AGENT_TEST_NOT_PASSED", "leak");
        var env = new Dictionary<string, string> { ["DET_TRIAL_ID"] = "7", ["DET_AGENT_ID"] = "the master must not win" };

        master.Enqueue(AgentUnderTest.Shell(allocation,
            "echo \"cwd=$(pwd) workdir=$DET_WORKDIR\"; echo \"slots=$DET_SLOT_IDS agent=$DET_AGENT_ID trial=$DET_TRIAL_ID "
            + "type=$DET_TASK_TYPE alloc=$DET_ALLOCATION_ID leak=${DET_AGENT_TEST_NOT_PASSED:-none} path=${PATH:+set}\"; ls -A",
            env, slots: [1]));
        await master.ExitedAsync(allocation);

        var lines = master.LogsOf(allocation).Select(l => l.Log).ToList();
        Assert.Contains("cwd=/run/determined/workdir workdir=/run/determined/workdir\n", lines);
        Assert.Contains($"slots=[1] agent={agent.AgentId} trial=7 type=TRIAL alloc={allocation} leak=none path=set\n", lines);
        Assert.DoesNotContain("stale.txt\n", lines);
        Assert.False(Directory.Exists(leftover), "the working directory is removed after the exit");
    }

    [Fact]
    public async Task Launch_ReportsExit127WithTheReason_WhenProgramDoesNotExist()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var launch = AgentUnderTest.Shell(allocation, "") with { Argv = ["/nonexistent/program"] };

        master.Enqueue(launch);
        var exited = await master.ExitedAsync(allocation);

        Assert.NotEqual(0, exited.Event.ExitCode ?? -1);
        Assert.Contains(master.LogsOf(allocation), l => l.Stdtype == "stderr" && l.Log.Contains("/nonexistent/program", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Launch_IsIgnored_WhenAllocationIsAlreadyRunning()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var launch = AgentUnderTest.Shell(allocation, "echo started; while [ ! -f stop ]; do sleep 0.05; done");

        master.Enqueue(launch);
        await master.LineAsync(allocation, "started");
        master.Enqueue(launch);
        var second = master.Enqueue(kill: new KillCommand(allocation, Graceful: false));
        await master.ExitedAsync(allocation);

        Assert.True(second > 2);
        Assert.Single(master.LogsOf(allocation), l => l.Log == "started\n");
        Assert.Single(master.Events, e => e.AllocationId == allocation && e.Event.State == AllocationStates.Running);
    }
}
