using System.Text.Json.Nodes;
using System.Net.Http.Json;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Determinant.Bench;

/// <summary>Fills the master's database straight through the EF model: copies of one submitted experiment, 10 trials each, and one trial's reports.</summary>
internal static class ListSeeder
{
    private const string Config = """
        name: list-bench
        entrypoint: "true"
        hyperparameters:
          lr: {type: double, minval: 0.1, maxval: 1.0}
        searcher:
          name: random
          metric: loss
          max_trials: 10
          max_length: {batches: 1000}
        """;

    /// <summary>Returns the id of the trial that holds <paramref name="reports"/> training reports.</summary>
    public static async Task<int> SeedAsync(BenchMaster master, HttpClient admin, int experiments, int trialsEach, int reports)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/experiments", new { config = Config, activate = false, modelDefinition = Array.Empty<object>() });
        created.EnsureSuccessStatusCode();
        var templateId = (int)(await created.Content.ReadFromJsonAsync<JsonObject>())!["experiment"]!["id"]!;
        ExperimentEntity template;
        await using (var scope = master.Services.CreateAsyncScope())
            template = await scope.ServiceProvider.GetRequiredService<MasterDbContext>().Experiments.AsNoTracking().SingleAsync(e => e.Id == templateId);
        var start = DateTime.UtcNow;
        for (var done = 1; done < experiments; done += 1000)
        {
            await using var scope = master.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var batch = Enumerable.Range(done, Math.Min(1000, experiments - done)).Select(i => new ExperimentEntity
            {
                Name = $"list-bench-{i}", OwnerId = template.OwnerId, ConfigYaml = template.ConfigYaml, ConfigJson = template.ConfigJson,
                State = i % 3 == 0 ? ExperimentState.Completed : ExperimentState.Paused, StartTime = start.AddSeconds(i), Progress = 0.5,
            }).ToList();
            db.Experiments.AddRange(batch);
            await db.SaveChangesAsync();
            // A trial's task id needs its experiment's id: the trials (and their tasks) go in once the experiments have ids.
            foreach (var experiment in batch)
            {
                foreach (var _ in Enumerable.Range(0, trialsEach))
                {
                    var request = Guid.NewGuid();
                    var taskId = TrialEntity.TaskIdOf(experiment.Id, request);
                    db.Trials.Add(new TrialEntity
                    {
                        ExperimentId = experiment.Id, RequestId = request, TaskId = taskId, HparamsJson = """{"lr":0.5}""", State = TrialState.Completed,
                        StartTime = start,
                        Task = new TaskEntity { Id = taskId, Type = TaskType.Trial, OwnerId = template.OwnerId, State = TaskState.Terminated, StartTime = start },
                    });
                }
            }
            await db.SaveChangesAsync();
        }
        await using var last = master.Services.CreateAsyncScope();
        var lastDb = last.ServiceProvider.GetRequiredService<MasterDbContext>();
        lastDb.ChangeTracker.AutoDetectChangesEnabled = false;
        var trialId = await lastDb.Trials.OrderBy(t => t.Id).Select(t => t.Id).LastAsync();
        lastDb.Metrics.AddRange(Enumerable.Range(1, reports).Select(s => new MetricReportEntity
        {
            TrialId = trialId, RunId = 1, Group = MetricReportEntity.Training, StepsCompleted = s * 10L, ReportTime = start.AddSeconds(s),
            MetricsJson = $$"""{"avgMetrics":{"loss":{{1.0 / s}},"accuracy":0.5},"batchMetrics":null}""",
        }));
        await lastDb.SaveChangesAsync();
        return trialId;
    }
}
