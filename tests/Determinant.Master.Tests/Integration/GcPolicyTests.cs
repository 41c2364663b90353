using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Data;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Master.Tests.Integration;

/// <summary><c>GET /api/v1/experiments/{id}/preview_gc</c> and the GC policy through <c>PATCH /api/v1/experiments/{id}</c> (REFERENCE.md §4.4).</summary>
public sealed class GcPolicyTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task PreviewAndPatch_SelectByThePolicy_AndCollectATerminalExperimentAtOnce(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var experimentId = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!);
        // Smaller loss is better: 200 is the best, 300 the latest, 100 neither.
        var uuids = new Dictionary<ulong, string>();
        foreach (var (steps, loss) in new (ulong, double)[] { (100, 0.5), (200, 0.3), (300, 0.4) })
        {
            (await trial.ReportAsync("validation", steps, new JsonObject { ["loss"] = loss })).EnsureSuccessStatusCode();
            uuids[steps] = await ReportCheckpointAsync(host, trial, steps);
        }

        Assert.Equal([uuids[100]], await PreviewAsync(admin, experimentId, ""));
        Assert.Equal([uuids[100], uuids[200]], await PreviewAsync(admin, experimentId, "?save_trial_best=0"));
        // The latest checkpoint of an unfinished trial is what it would resume from: never selected.
        Assert.Equal([uuids[100], uuids[200]], await PreviewAsync(admin, experimentId, "?save_trial_best=0&save_trial_latest=0"));
        using var negative = await admin.GetAsync($"/api/v1/experiments/{experimentId}/preview_gc?save_trial_best=-1");
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("checkpoint_storage.save_trial_best: must be 0 or more, not -1", await negative.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A running experiment stores the policy and deletes nothing yet.
        var patched = await PatchAsync(admin, experimentId, new { checkpointStorage = new { saveTrialBest = 0 } });
        Assert.Equal((0, 0, 1), Policy(patched));
        Assert.All(uuids.Values, uuid => Assert.True(Directory.Exists(Path.Combine(host.DataDir, "checkpoints", uuid))));
        Assert.Equal(3, await CompletedAsync(host, experimentId));

        // A terminal experiment is collected with the new policy at once.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            await db.Trials.Where(t => t.ExperimentId == experimentId).ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TrialState.Completed));
            await db.Experiments.Where(e => e.Id == experimentId).ExecuteUpdateAsync(s => s.SetProperty(e => e.State, ExperimentState.Completed));
        }
        Assert.Equal((0, 0, 1), Policy(await PatchAsync(admin, experimentId, new { checkpointStorage = new { saveTrialLatest = 1 } })));
        Assert.Equal(1, await CompletedAsync(host, experimentId));
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "checkpoints", uuids[100])));
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "checkpoints", uuids[200])));
        Assert.True(Directory.Exists(Path.Combine(host.DataDir, "checkpoints", uuids[300])));

        using var badPatch = await admin.PatchAsJsonAsync($"/api/v1/experiments/{experimentId}", new { checkpointStorage = new { saveExperimentBest = -2 } });
        Assert.Equal(HttpStatusCode.BadRequest, badPatch.StatusCode);
        using var unknown = await admin.GetAsync("/api/v1/experiments/999/preview_gc");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<string> ReportCheckpointAsync(MasterHost host, TrialActor trial, ulong steps)
    {
        var uuid = Guid.NewGuid().ToString();
        var directory = Directory.CreateDirectory(Path.Combine(host.DataDir, "checkpoints", uuid)).FullName;
        var metadata = $"{{\"steps_completed\": {steps}}}";
        await File.WriteAllTextAsync(Path.Combine(directory, "metadata.json"), metadata);
        await trial.Client.PostOkAsync("/api/v1/checkpoints", new
        {
            taskId = trial.TaskId,
            allocationId = trial.AllocationId,
            uuid,
            reportTime = DateTimeOffset.UnixEpoch.AddSeconds(steps),
            resources = new Dictionary<string, long> { ["metadata.json"] = metadata.Length },
            metadata = new { steps_completed = steps },
            state = "COMPLETED",
        });
        return uuid;
    }

    private static async Task<List<string>> PreviewAsync(HttpClient admin, int experimentId, string query) =>
        [.. (await admin.GetJsonAsync($"/api/v1/experiments/{experimentId}/preview_gc{query}"))["checkpoints"]!.AsArray()
            .OrderBy(c => (long)c!["stepsCompleted"]!).Select(c => (string)c!["uuid"]!)];

    private static async Task<JsonObject> PatchAsync(HttpClient admin, int experimentId, object body)
    {
        using var response = await admin.PatchAsJsonAsync($"/api/v1/experiments/{experimentId}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PATCH: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static (int, int, int) Policy(JsonObject experiment)
    {
        var storage = experiment["config"]!["checkpoint_storage"]!;
        return ((int)storage["save_experiment_best"]!, (int)storage["save_trial_best"]!, (int)storage["save_trial_latest"]!);
    }

    private static async Task<int> CompletedAsync(MasterHost host, int experimentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var trialIds = await db.Trials.Where(t => t.ExperimentId == experimentId).Select(t => t.Id).ToListAsync();
        return await db.Checkpoints.CountAsync(c => c.TrialId != null && trialIds.Contains(c.TrialId.Value) && c.State == CheckpointState.Completed);
    }
}
