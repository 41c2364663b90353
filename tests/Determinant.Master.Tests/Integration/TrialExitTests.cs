using Determinant.Protocol.Agent;
using Microsoft.Extensions.Time.Testing;

namespace Determinant.Master.Tests.Integration;

/// <summary>How allocation exits end trials (REFERENCE.md §5.4), driven through a fake agent.</summary>
public sealed class TrialExitTests
{
    private const string AsyncHalvingConfig = """
        name: exits-at-once
        entrypoint: "true"
        hyperparameters:
          lr: 0.1
        searcher:
          name: async_halving
          metric: loss
          num_rungs: 2
          divisor: 2
          max_trials: 2
          max_concurrent_trials: 1
          max_length: {batches: 8}
        """;

    private const string IgnoresStopConfig = """
        name: ignores-the-stop-signal
        entrypoint: sleep 100000
        hyperparameters:
          lr: 0.1
        searcher:
          name: single
          metric: loss
          max_length: {batches: 10}
        preemption_timeout: 30
        """;

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task CleanExitWithoutCompletingTheOp_EndsCompleted_AndTheSearchGoesOnToTheEnd(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var id = await admin.CreateExperimentAsync(AsyncHalvingConfig);

        // Each trial's process exits 0 at once: the searcher hears USER_REQUESTED_STOP, counts it as the worst result
        // at its rung, and creates the second trial; then the search is over.
        for (var i = 0; i < 2; i++)
        {
            var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
            (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        }

        var trials = await admin.TrialsAsync(id);
        Assert.Equal(["STATE_COMPLETED", "STATE_COMPLETED"], trials.Select(t => (string)t!["state"]!));
        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(id));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task FailedRuns_AreRestartedMaxRestartsTimes_AndTheCounterShowsTheRestartsMade(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var id = await admin.CreateExperimentAsync(IgnoresStopConfig + "\nmax_restarts: 2");

        var runs = new List<(string AllocationId, int RestartsWhileRunning)>();
        for (var run = 1; run <= 3; run++)
        {
            var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
            (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
            runs.Add((launch.AllocationId, (int)(await admin.TrialsAsync(id))[0]!["restarts"]!));
            (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 1)).EnsureSuccessStatusCode();
        }

        var taskId = runs[0].AllocationId[..runs[0].AllocationId.LastIndexOf('.')];
        Assert.Equal([(taskId + ".1", 0), (taskId + ".2", 1), (taskId + ".3", 2)], runs);
        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_ERROR", 2, 3), ((string)trial["state"]!, (int)trial["restarts"]!, (int)trial["runId"]!));
        Assert.Empty(await agent.PollAsync(0));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task KillAfterPreemptionTimeout_KeepsThePausedTrialResumable_WithoutCountingARestart(string database)
    {
        TestDatabases.SkipUnavailable(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(database, s => s.AddSingleton<TimeProvider>(time));
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var id = await admin.CreateExperimentAsync(IgnoresStopConfig);
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();

        await admin.PostOkAsync($"/api/v1/experiments/{id}/pause");
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await agent.PollAsync(0));
        time.Advance(TimeSpan.FromSeconds(1));
        var kill = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!;
        Assert.Equal(launch.AllocationId, kill.AllocationId);
        Assert.True(await KillRequestedAsync(host, launch.AllocationId));
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 137)).EnsureSuccessStatusCode();

        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_PAUSED", 0), ((string)trial["state"]!, (int)trial["restarts"]!));
        await admin.PostOkAsync($"/api/v1/experiments/{id}/activate");
        var resumed = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal(launch.TaskId + ".2", resumed.AllocationId);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task InvalidHpReport_KillsTheAllocation_WhenStillAliveTenSecondsLater(string database)
    {
        TestDatabases.SkipUnavailable(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(database, s => s.AddSingleton<TimeProvider>(time));
        var admin = await host.LoginAsync();
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();
        var id = await admin.CreateExperimentAsync(IgnoresStopConfig);
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Running)).EnsureSuccessStatusCode();
        var trialId = int.Parse(launch.Env["DET_TRIAL_ID"], System.Globalization.CultureInfo.InvariantCulture);
        using var task = host.WithAllocationToken(launch.Env["DET_SESSION_TOKEN"]);

        await task.PostOkAsync($"/api/v1/trials/{trialId}/early_exit", new { reason = "EXITED_REASON_INVALID_HP" });
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await agent.PollAsync(0));
        Assert.False(await KillRequestedAsync(host, launch.AllocationId));
        time.Advance(TimeSpan.FromSeconds(1));
        var kill = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Kill!;
        Assert.Equal(launch.AllocationId, kill.AllocationId);
        Assert.True(await KillRequestedAsync(host, launch.AllocationId));
        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 137)).EnsureSuccessStatusCode();

        var trial = (await admin.TrialsAsync(id))[0]!;
        Assert.Equal(("STATE_COMPLETED", 0), ((string)trial["state"]!, (int)trial["restarts"]!));
    }

    private static async Task<bool> KillRequestedAsync(MasterHost host, string allocationId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
        return db.Allocations.Single(a => a.Id == allocationId).KillRequested;
    }
}
