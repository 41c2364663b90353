using Determinant.Master.ResourceManagers;
using Determinant.Master.Domain;
using System.Net;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

public sealed class ExperimentRunTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task SingleSearch_CompletesThroughTheCoreApi_WithMetricsStoredOnce(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var experimentId = await admin.CreateExperimentAsync();
        var trialId = (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
        Assert.Contains(trialId, await host.WaitingTrialsAsync());

        var trial = await TrialActor.StartAsync(host, trialId);
        Assert.Equal(500UL, await trial.OperationAsync());
        for (ulong steps = 10; steps <= 500; steps += 10)
        {
            (await trial.ReportAsync("training", steps, new JsonObject { ["loss"] = 1.0 / steps })).EnsureSuccessStatusCode();
            if (steps % 100 == 0)
                (await trial.ReportAsync("validation", steps, new JsonObject { ["loss"] = 1.0 / steps, ["accuracy"] = 0.5 })).EnsureSuccessStatusCode();
        }
        (await trial.ReportAsync("training", 250, new JsonObject { ["loss"] = 99.0 })).EnsureSuccessStatusCode(); // a retry
        Assert.Equal(HttpStatusCode.BadRequest, (await trial.ReportAsync("validation", 510, new JsonObject { ["acc"] = 1.0 })).StatusCode);
        var checkpointDir = Path.Combine(host.DataDir, "checkpoints");
        var early = await ReportCheckpointAsync(trial, checkpointDir, 100);
        var last = await ReportCheckpointAsync(trial, checkpointDir, 500);

        var wrong = await trial.CompleteAsync(400, 0.002);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("expected op", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (await trial.CompleteAsync(500, 0.002)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.BadRequest, (await trial.CompleteAsync(500, 0.002)).StatusCode);
        Assert.Null(await trial.OperationAsync());
        Assert.Equal("STATE_STOPPING_COMPLETED", (string)(await admin.GetJsonAsync($"/api/v1/trials/{trialId}"))["trial"]!["state"]!);
        Assert.True(await trial.PollPreemptionAsync(30));
        await trial.AckAsync();
        await trial.ExitAsync();

        var final = (await admin.GetJsonAsync($"/api/v1/trials/{trialId}"))["trial"]!;
        Assert.Equal("STATE_COMPLETED", (string)final["state"]!);
        Assert.Equal(500, (long)final["totalBatchesProcessed"]!);
        Assert.Equal(500, (long)final["latestValidation"]!["totalBatches"]!);
        Assert.Equal("STATE_COMPLETED", await admin.ExperimentStateAsync(experimentId));
        var training = (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group=training"))["metrics"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i * 10), training.Select(m => (long)m!["stepsCompleted"]!));
        Assert.Equal(1.0 / 250, (double)training[24]!["metrics"]!["avgMetrics"]!["loss"]!);
        Assert.Equal(5, (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group=validation"))["metrics"]!.AsArray().Count);
        Assert.Equal(0.002, (double)(await admin.GetJsonAsync($"/api/v1/experiments/{experimentId}/searcher/best_searcher_validation_metric"))["metric"]!);

        // GC at the end (policy 0/1/1): the trial's latest and best is the checkpoint at 500; the one at 100 goes.
        var checkpoints = (await admin.GetJsonAsync($"/api/v1/experiments/{experimentId}/checkpoints?sortByAttr=BATCH_NUMBER"))["checkpoints"]!.AsArray();
        Assert.Equal(["STATE_DELETED", "STATE_COMPLETED"], checkpoints.Select(c => (string)c!["state"]!));
        Assert.False(Directory.Exists(early));
        Assert.True(Directory.Exists(last));
    }

    /// <summary>Writes a checkpoint directory under <paramref name="baseDir"/> and reports it for the trial; returns the directory.</summary>
    internal static async Task<string> ReportCheckpointAsync(TrialActor trial, string baseDir, long steps)
    {
        var uuid = Guid.NewGuid().ToString();
        var dir = Directory.CreateDirectory(Path.Combine(baseDir, uuid)).FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "state.bin"), "weights");
        await trial.Client.PostOkAsync("/api/v1/checkpoints", new
        {
            taskId = trial.TaskId,
            allocationId = trial.AllocationId,
            uuid,
            reportTime = DateTimeOffset.UnixEpoch,
            resources = new Dictionary<string, string> { ["state.bin"] = "7" },
            metadata = new { steps_completed = steps },
            state = "COMPLETED",
        });
        return dir;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task PauseActivateCancel_FollowTheStateMachine_WithTheStopSignal(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
        var trial = await TrialActor.StartAsync(host, trialId);
        Assert.False(await trial.PollPreemptionAsync(0));

        var poll = trial.PollPreemptionAsync(60);
        await admin.PostOkAsync($"/api/v1/experiments/{id}/pause");
        Assert.True(await poll.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("STATE_PAUSED", await admin.ExperimentStateAsync(id));
        await trial.AckAsync();
        Assert.Equal(Domain.TrialOutcomeKind.Wait, (await trial.ExitAsync()).Kind);
        Assert.Equal("STATE_PAUSED", (string)(await admin.TrialsAsync(id))[0]!["state"]!);

        await admin.PostOkAsync($"/api/v1/experiments/{id}/activate");
        Assert.Equal("STATE_ACTIVE", (string)(await admin.TrialsAsync(id))[0]!["state"]!);
        var resumed = await TrialActor.StartAsync(host, trialId);
        Assert.EndsWith(".2", resumed.AllocationId, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await trial.Client.GetAsync($"/api/v1/trials/{trialId}")).StatusCode);

        await admin.PostOkAsync($"/api/v1/experiments/{id}/cancel");
        Assert.Equal("STATE_STOPPING_CANCELED", await admin.ExperimentStateAsync(id));
        Assert.True(await resumed.PollPreemptionAsync(0));
        await resumed.AckAsync();
        await resumed.ExitAsync();
        Assert.Equal("STATE_CANCELED", await admin.ExperimentStateAsync(id));
        Assert.Equal("STATE_CANCELED", (string)(await admin.TrialsAsync(id))[0]!["state"]!);
        await admin.PostOkAsync($"/api/v1/experiments/{id}/cancel"); // a no-op once terminal
        await admin.PostOkAsync($"/api/v1/experiments/{id}/archive");
        var again = await admin.PostProblemAsync($"/api/v1/experiments/{id}/archive", new { }, HttpStatusCode.Conflict);
        Assert.Equal("Experiment is already archived.", (string)again["detail"]!);
        Assert.Equal(0, (int)(await admin.GetJsonAsync("/api/v1/experiments?archived=false"))["pagination"]!["total"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Kill_EndsTrialsCanceled_AndTerminalActionsAreGuarded(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(id))[0]!["id"]!);

        var notTerminal = await admin.PostProblemAsync($"/api/v1/experiments/{id}/archive", new { }, HttpStatusCode.Conflict);
        Assert.Equal("Experiment is not in terminal state.", (string)notTerminal["detail"]!);
        var delete = await admin.DeleteAsync($"/api/v1/experiments/{id}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("experiment in non terminal state 'STATE_ACTIVE', try again later", await delete.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await admin.PostOkAsync($"/api/v1/experiments/{id}/kill");
        Assert.Equal("STATE_STOPPING_KILLED", await admin.ExperimentStateAsync(id));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
            Assert.True(db.Allocations.Single(a => a.Id == trial.AllocationId).KillRequested);
        }
        await trial.ExitAsync(ResourceManagers.AllocationExitKind.Failed);
        Assert.Equal("STATE_CANCELED", await admin.ExperimentStateAsync(id));
        Assert.Equal("STATE_CANCELED", (string)(await admin.TrialsAsync(id))[0]!["state"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/experiments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/experiments/{id}")).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task OtherUsers_Get403_OnPauseKillArchive_ButMayRead(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var other = await host.LoginAsync("determined");

        foreach (var action in new[] { "pause", "kill", "archive", "cancel" })
            await other.PostProblemAsync($"/api/v1/experiments/{id}/{action}", new { }, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/v1/experiments/{id}")).StatusCode);
        Assert.Equal("STATE_ACTIVE", await other.ExperimentStateAsync(id));
        var trialId = (int)(await other.TrialsAsync(id))[0]!["id"]!;
        await other.PostProblemAsync($"/api/v1/trials/{trialId}/searcher/completed_operation",
            new { op = new { length = "500" }, searcherMetric = 1.0 }, HttpStatusCode.Forbidden);

        var mine = await other.CreateExperimentAsync();
        await other.PostOkAsync($"/api/v1/experiments/{mine}/pause");
        var list = await other.GetJsonAsync("/api/v1/experiments?users=determined&states=STATE_PAUSED");
        Assert.Equal([mine], list["experiments"]!.AsArray().Select(e => (int)e!["id"]!));
    }
}
