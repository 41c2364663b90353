using Determinant.Master.Scheduling;

namespace Determinant.Master.Tests.Unit;

public sealed class SchedulingPlannerTests
{
    private static SchedulingRequest Trial(int trial, int experiment, int slots = 1, int priority = 42, double weight = 1, int? maxSlots = null) =>
        new(trial, experiment, slots, priority, weight, maxSlots, "default");

    private static AgentCapacity Agent(string id, int free) => new(id, "default", [.. Enumerable.Range(0, free)]);

    private static readonly Dictionary<int, int> NoUsage = [];

    [Fact]
    public void Plan_SchedulesLowerPriorityNumberFirst_WhenSlotsAreScarce()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, priority: 50), Trial(2, 2, priority: 10), Trial(3, 3)], [Agent("a", 2)], NoUsage);

        Assert.Equal([2, 3], plan.Select(p => p.Request.TrialId));
    }

    [Fact]
    public void Plan_SharesSlotsByWeight_WhenPrioritiesAreEqual()
    {
        var waiting = Enumerable.Range(1, 6).Select(i => Trial(i, 1, weight: 2))
            .Concat(Enumerable.Range(11, 6).Select(i => Trial(i, 2, weight: 1))).ToList();

        var plan = SchedulingPlanner.Plan(waiting, [Agent("a", 6)], NoUsage);

        Assert.Equal(4, plan.Count(p => p.Request.ExperimentId == 1));
        Assert.Equal(2, plan.Count(p => p.Request.ExperimentId == 2));
    }

    [Fact]
    public void Plan_CountsSlotsAlreadyHeld_InTheFairShare()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1), Trial(2, 2)], [Agent("a", 1)], new Dictionary<int, int> { [1] = 3 });

        Assert.Equal(2, Assert.Single(plan).Request.TrialId);
    }

    [Fact]
    public void Plan_KeepsAnExperimentWithinMaxSlots_CountingWhatItHolds()
    {
        var waiting = Enumerable.Range(1, 4).Select(i => Trial(i, 1, maxSlots: 3)).ToList();

        var plan = SchedulingPlanner.Plan(waiting, [Agent("a", 8)], new Dictionary<int, int> { [1] = 1 });

        Assert.Equal([1, 2], plan.Select(p => p.Request.TrialId));
    }

    [Fact]
    public void Plan_GivesAGangAllItsSlotsOnOneAgentOrNone()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3) with { SingleNode = true }], [Agent("a", 2), Agent("b", 2)], NoUsage);
        Assert.Empty(plan);

        plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3), Trial(2, 1)], [Agent("a", 2), Agent("b", 4)], NoUsage);
        var gang = Assert.Single(plan.Single(p => p.Request.TrialId == 1).Shares);
        Assert.Equal("b", gang.AgentId);
        Assert.Equal([0, 1, 2], gang.SlotIds);
        // Best fit: the one-slot trial goes where it wastes least (the last free slot of b), not to a.
        var single = Assert.Single(plan.Single(p => p.Request.TrialId == 2).Shares);
        Assert.Equal(("b", 3), (single.AgentId, single.SlotIds[0]));
    }

    [Fact]
    public void Plan_IgnoresAgentsOfOtherPools()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1)], [new AgentCapacity("gpu", "gpu-pool", [0])], NoUsage);

        Assert.Empty(plan);
    }
}
