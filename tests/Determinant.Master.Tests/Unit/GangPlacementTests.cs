using Determinant.Master.Agents;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Tests.Unit;

/// <summary>Gangs across agents (docs/distributed.md): one agent when one fits, else the fewest agents, all slots or none.</summary>
public sealed class GangPlacementTests
{
    private static readonly Dictionary<string, int> NoUsage = [];

    private static AllocationRequest Trial(int trial, int experiment, int slots, int priority = 42, string pool = "default") =>
        new($"{experiment}.{trial}", slots, pool, priority, 1, TaskGroups.Experiment(experiment), null, GroupOrder: experiment, Order: trial);

    private static AgentCapacity Agent(string id, params int[] free) => new(id, "default", free);

    private static AgentCapacity Agent(string id, int free, string pool = "default") => new(id, pool, [.. Enumerable.Range(0, free)]);

    private static List<(string AgentId, int[] Slots)> Shares(PlannedLaunch launch) =>
        [.. launch.Shares.Select(s => (s.AgentId, s.SlotIds.ToArray()))];

    [Fact]
    public void AGangLargerThanEveryAgent_SpansAgents_TakingTheirFreeSlots_ChiefOnTheLargestShare()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 5)], [Agent("a", 0, 2), Agent("b", 1, 3, 5)], NoUsage);

        var launch = Assert.Single(plan);
        Assert.Equal(1, launch.Request.Order);
        var shares = Shares(launch);
        Assert.Equal(2, shares.Count);
        Assert.Equal("b", shares[0].AgentId);
        Assert.Equal([1, 3, 5], shares[0].Slots);
        Assert.Equal("a", shares[1].AgentId);
        Assert.Equal([0, 2], shares[1].Slots);
    }

    [Fact]
    public void OneAgentThatFits_IsPreferred_OverSpanning()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 2)], [Agent("a", 1), Agent("b", 1), Agent("c", 2)], NoUsage);

        var share = Assert.Single(Assert.Single(plan).Shares);
        Assert.Equal(("c", "0,1"), (share.AgentId, string.Join(',', share.SlotIds)));
    }

    [Fact]
    public void ASpanningGang_UsesTheFewestAgents_AndBestFitsTheLastShare()
    {
        // 5 slots: 3 on d, and the remaining 2 on b (the smallest agent that holds them), not on 2 one-slot agents.
        var agents = new[] { Agent("a", 1), Agent("b", 2), Agent("c", 1), Agent("d", 3), Agent("e", 2) };

        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 5)], agents, NoUsage);

        Assert.Equal([("d", 3), ("b", 2)], Assert.Single(plan).Shares.Select(s => (s.AgentId, s.SlotIds.Count)));
    }

    [Fact]
    public void AGangThePoolCannotHoldNow_GetsNothing_AndItsSlotsGoToTrialsThatFit()
    {
        var agents = new[] { Agent("a", 1), Agent("b", 1), Agent("c", 1, pool: "other") };

        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3), Trial(2, 2, slots: 1)], agents, NoUsage);

        // No partial allocation: the 3-slot gang (only 2 free in its pool) holds no slot, the small trial runs.
        var launch = Assert.Single(plan);
        Assert.Equal(2, launch.Request.Order);
        Assert.Single(launch.Shares);
    }

    [Fact]
    public void TwoGangsCompetingForTheSameAgents_OneGetsEverything_TheOtherNothing()
    {
        var agents = new[] { Agent("a", 1), Agent("b", 1), Agent("c", 1) };

        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 2), Trial(2, 2, slots: 2)], agents, NoUsage);

        var launch = Assert.Single(plan);
        Assert.Equal(1, launch.Request.Order);
        Assert.Equal(2, launch.Shares.Sum(s => s.SlotIds.Count));
        Assert.Equal(2, launch.Shares.Select(s => s.AgentId).Distinct().Count());
    }

    [Fact]
    public void PriorityOrderHolds_ForSpanningGangs()
    {
        var agents = new[] { Agent("a", 2), Agent("b", 2) };

        // The higher-priority (lower number) gang is placed first even though it is the later trial and spans agents.
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 3, priority: 50), Trial(2, 2, slots: 3, priority: 10)], agents, NoUsage);

        var launch = Assert.Single(plan);
        Assert.Equal(2, launch.Request.Order);
        Assert.Equal([("a", 2), ("b", 1)], launch.Shares.Select(s => (s.AgentId, s.SlotIds.Count)));
    }

    [Fact]
    public void ASingleNodeGang_NeverSpans()
    {
        var plan = SchedulingPlanner.Plan([Trial(1, 1, slots: 2) with { SingleNode = true }], [Agent("a", 1), Agent("b", 1)], NoUsage);

        Assert.Empty(plan);
    }
}
