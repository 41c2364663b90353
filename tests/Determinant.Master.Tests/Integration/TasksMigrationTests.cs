using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// The Tasks migration: every trial of an older database becomes a task of its own (id, owner, state, slots, pool), its
/// allocations hang off that task instead of the trial, and usernames become unique regardless of case.
/// </summary>
public sealed class TasksMigrationTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Migration_MakesATaskOfEveryTrial_AndMovesItsAllocationsOntoIt(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var owned = await TestDatabase.CreateAsync(database);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var done = Guid.NewGuid();
        var running = Guid.NewGuid();
        await using (var db = owned.OpenContext())
        {
            var before = db.Database.GetMigrations().Last(m => m.EndsWith("_ClusteredMetricReports", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(before);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO users (\"Id\", \"Username\", \"PasswordHash\", \"Admin\", \"Active\", \"CreatedAt\") VALUES (7, 'old', 'x', FALSE, TRUE, {start})");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO experiments (\"Id\", \"Name\", \"OwnerId\", \"ProjectId\", \"ConfigYaml\", \"ConfigJson\", \"State\", \"Archived\", \"Progress\", \"StartTime\", \"SearcherJournalNextSeq\") VALUES (3, 'old', 7, 1, 'y', '{{\"resources\": {{\"slots_per_trial\": 2, \"resource_pool\": \"gpu\"}}}}', 'Active', FALSE, 0, {start}, 0)");
            var trial = 0;
            foreach (var (request, state) in new[] { (done, "Completed"), (running, "Active") })
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO trials (\"Id\", \"ExperimentId\", \"RequestId\", \"HparamsJson\", \"Seed\", \"State\", \"Restarts\", \"RunId\", \"OpCompleted\", \"SearcherClosed\", \"TotalBatches\", \"StartTime\") VALUES ({++trial}, 3, {request}, '{{}}', 1, {state}, 0, 1, FALSE, FALSE, 300, {start})");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO allocations (\"Id\", \"TaskId\", \"TrialId\", \"RunId\", \"State\", \"Preempt\", \"Acked\", \"KillRequested\", \"TokenHash\", \"StartTime\") VALUES ({$"3.{done:D}.1"}, {$"3.{done:D}"}, 1, 1, 'Terminated', FALSE, FALSE, FALSE, 'h1', {start})");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO allocations (\"Id\", \"TaskId\", \"TrialId\", \"RunId\", \"State\", \"Preempt\", \"Acked\", \"KillRequested\", \"TokenHash\", \"StartTime\") VALUES ({$"3.{running:D}.1"}, {$"3.{running:D}"}, 2, 1, 'Running', FALSE, FALSE, FALSE, 'h2', {start})");
        }

        await using (var db = owned.OpenContext())
        {
            await MasterDatabase.MigrateAsync(db, CancellationToken.None);
            var tasks = await db.Tasks.AsNoTracking().OrderBy(t => t.StartTime).ThenBy(t => t.Id).ToListAsync();
            Assert.Equal(2, tasks.Count);
            Assert.All(tasks, t =>
            {
                Assert.Equal(TaskType.Trial, t.Type);
                Assert.Equal(7, t.OwnerId);
                Assert.Equal(2, t.Slots);
                Assert.Equal("gpu", t.ResourcePool);
            });
            Assert.Equal(TaskState.Terminated, tasks.Single(t => t.Id == $"3.{done:D}").State);
            Assert.Equal(TaskState.Active, tasks.Single(t => t.Id == $"3.{running:D}").State);
            var trials = await db.Trials.AsNoTracking().OrderBy(t => t.Id).Select(t => t.TaskId).ToListAsync();
            Assert.Equal([$"3.{done:D}", $"3.{running:D}"], trials);
            var allocations = await db.Allocations.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
            Assert.All(allocations, a => Assert.Equal((2, "gpu"), (a.Slots, a.ResourcePool)));
            Assert.Equal($"3.{running:D}", allocations.Single(a => a.State == AllocationState.Running).TaskId);

            // Usernames differing only in case are now one too many.
            db.Users.Add(new UserEntity { Username = "OLD", PasswordHash = "x", CreatedAt = start });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            // A task's allocations go with it.
            await db.Trials.Where(t => t.TaskId == $"3.{running:D}").ExecuteDeleteAsync();
            await db.Tasks.Where(t => t.Id == $"3.{running:D}").ExecuteDeleteAsync();
            Assert.Equal(1, await db.Allocations.CountAsync());
        }
        SqliteConnection.ClearAllPools();
    }
}
