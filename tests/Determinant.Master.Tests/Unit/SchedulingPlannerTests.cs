using Determinant.Master.Agents;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Tests.Unit;

public sealed class SchedulingPlannerTests
{
    private static AllocationRequest Trial(int trial, int experiment, int slots = 1, int priority = 42, double weight = 1, int? maxSlots = null) =>
        new($"{experiment}.{trial}", slots, "default", priority, weight, TaskGroups.Experiment(experiment), maxSlots, GroupOrder: experiment, Order: trial);

    private static AgentCapacity Agent(string id, int free) => new(id, "default", [.. Enumerable.Range(0, free)]);

    private static readonly Dictionary<string, int> NoUsage = [];

    [Fact]
    public void Plan_SchedulesLowerPriorityNumberFirst_WhenSlotsAreScarce()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, priority: 50), Trial(2, 2, priority: 10), Trial(3, 3)], [Agent("a", 2)], NoUsage);

        Assert.Equal([2L, 3L], plan.Select(p => p.Request.Order));
    }

    [Fact]
    public void Plan_SharesSlotsByWeight_WhenPrioritiesAreEqual()
    {
        var waiting = Enumerable.Range(1, 6).Select(i => Trial(i, 1, weight: 2))
            .Concat(Enumerable.Range(11, 6).Select(i => Trial(i, 2, weight: 1))).ToList();

        var plan = SchedulingPlanner.Plan(waiting, [Agent("a", 6)], NoUsage);

        Assert.Equal(4, plan.Count(p => p.Request.GroupOrder == 1));
        Assert.Equal(2, plan.Count(p => p.Request.GroupOrder == 2));
    }

    [Fact]
    public void Plan_CountsSlotsAlreadyHeld_InTheFairShare()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1), Trial(2, 2)], [Agent("a", 1)], new Dictionary<string, int> { [TaskGroups.Experiment(1)] = 3 });

        Assert.Equal(2, Assert.Single(plan).Request.Order);
    }

    [Fact]
    public void Plan_KeepsAnExperimentWithinMaxSlots_CountingWhatItHolds()
    {
        var waiting = Enumerable.Range(1, 4).Select(i => Trial(i, 1, maxSlots: 3)).ToList();

        var plan = SchedulingPlanner.Plan(waiting, [Agent("a", 8)], new Dictionary<string, int> { [TaskGroups.Experiment(1)] = 1 });

        Assert.Equal([1L, 2L], plan.Select(p => p.Request.Order));
    }

    [Fact]
    public void Plan_GivesAGangAllItsSlotsOnOneAgentOrNone()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3) with { SingleNode = true }], [Agent("a", 2), Agent("b", 2)], NoUsage);
        Assert.Empty(plan);

        plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3), Trial(2, 1)], [Agent("a", 2), Agent("b", 4)], NoUsage);
        var gang = Assert.Single(plan.Single(p => p.Request.Order == 1).Shares);
        Assert.Equal("b", gang.AgentId);
        Assert.Equal([0, 1, 2], gang.SlotIds);
        // Best fit: the one-slot trial goes where it wastes least (the last free slot of b), not to a.
        var single = Assert.Single(plan.Single(p => p.Request.Order == 2).Shares);
        Assert.Equal(("b", 3), (single.AgentId, single.SlotIds[0]));
    }

    [Fact]
    public void Plan_IgnoresAgentsOfOtherPools()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1)], [new AgentCapacity("gpu", "gpu-pool", [0])], NoUsage);

        Assert.Empty(plan);
    }

    [Fact]
    public void Plan_PlacesATaskThatNeedsAProgram_OnlyOnAnAgentThatHasIt()
    {
        var tensorboard = new AllocationRequest("tb", 0, "default", 42, 1, TaskGroups.Task("tb"), null, GroupOrder: 5, Order: 0, Program: "tensorboard");
        var with = new AgentCapacity("viewer", "default", [], new HashSet<string>(["tensorboard"]));

        Assert.Empty(SchedulingPlanner.Plan([tensorboard], [Agent("a", 4)], NoUsage));
        Assert.Equal("viewer", Assert.Single(Assert.Single(SchedulingPlanner.Plan([tensorboard], [Agent("a", 4), with], NoUsage)).Shares).AgentId);
    }

    [Fact]
    public void Plan_PlacesATaskOfNoSlot_OnAnAgentWithNoFreeSlot()
    {
        var notebook = new AllocationRequest("nb", 0, "default", 42, 1, TaskGroups.Task("nb"), null, GroupOrder: 5, Order: 0);

        var plan = SchedulingPlanner.Plan([notebook, Trial(1, 1)], [Agent("full", 0)], NoUsage);

        var launch = Assert.Single(plan);
        Assert.Equal("nb", launch.Request.TaskId);
        var share = Assert.Single(launch.Shares);
        Assert.Equal("full", share.AgentId);
        Assert.Empty(share.SlotIds);
    }

    [Fact]
    public void Plan_PlacesNoTaskOfNoSlot_WhenItsPoolHasNoAgent()
    {
        var notebook = new AllocationRequest("nb", 0, "aux", 42, 1, TaskGroups.Task("nb"), null, GroupOrder: 5, Order: 0);

        Assert.Empty(SchedulingPlanner.Plan([notebook], [Agent("a", 2)], NoUsage));
    }
}
