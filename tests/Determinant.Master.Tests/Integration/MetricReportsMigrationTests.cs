using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// The ClusteredMetricReports migration: reports keyed by (trial, group, steps) — on SQLite stored in that order — and
/// trials pointing at their best and latest validations by steps, with every report of an older database kept.
/// </summary>
public sealed class MetricReportsMigrationTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Migration_KeepsEveryReport_AndPointsTrialsAtTheirValidationsBySteps(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var owned = await TestDatabase.CreateAsync(database);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var db = owned.OpenContext())
        {
            var before = db.Database.GetMigrations().Last(m => m.EndsWith("_Notes", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(before);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO users (\"Id\", \"Username\", \"PasswordHash\", \"Admin\", \"Active\", \"CreatedAt\") VALUES (1, 'old', 'x', FALSE, TRUE, {start})");
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO experiments (\"Id\", \"Name\", \"OwnerId\", \"ProjectId\", \"ConfigYaml\", \"ConfigJson\", \"State\", \"Archived\", \"Progress\", \"StartTime\", \"SearcherJournalNextSeq\") VALUES (1, 'old', 1, 1, 'y', '{{}}', 'Paused', FALSE, 0, {start}, 0)");
            foreach (var trial in new[] { 1, 2 })
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO trials (\"Id\", \"ExperimentId\", \"RequestId\", \"HparamsJson\", \"Seed\", \"State\", \"Restarts\", \"RunId\", \"OpCompleted\", \"SearcherClosed\", \"TotalBatches\", \"StartTime\") VALUES ({trial}, 1, {Guid.NewGuid()}, '{{}}', 1, 'Active', 0, 1, FALSE, FALSE, 300, {start})");
            // Two trials that reported side by side, so their rows interleave; validations at 100 and 200 of each.
            var id = 0L;
            foreach (var steps in new long[] { 100, 200, 300 })
            {
                foreach (var trial in new[] { 1, 2 })
                {
                    await Insert(db, ++id, trial, MetricReportEntity.Training, steps, null);
                    if (steps < 300)
                        await Insert(db, ++id, trial, MetricReportEntity.Validation, steps, trial * 1.0 / steps);
                }
            }
            // Ids as written above: trial 1's validations are 2 (100 steps) and 6 (200); trial 2's are 4 and 8.
            await db.Database.ExecuteSqlRawAsync("UPDATE trials SET \"BestValidationId\" = 6, \"LatestValidationId\" = 6 WHERE \"Id\" = 1");
            await db.Database.ExecuteSqlRawAsync("UPDATE trials SET \"BestValidationId\" = 4, \"LatestValidationId\" = 8 WHERE \"Id\" = 2");
        }

        await using (var db = owned.OpenContext())
        {
            await MasterDatabase.MigrateAsync(db, CancellationToken.None);
            var trials = await db.Trials.AsNoTracking().OrderBy(t => t.Id).Select(t => new { t.BestValidationSteps, t.LatestValidationSteps }).ToListAsync();
            Assert.Equal([(200L, 200L), (100L, 200L)], trials.Select(t => (t.BestValidationSteps!.Value, t.LatestValidationSteps!.Value)));
            var reports = await db.Metrics.AsNoTracking().OrderBy(m => m.TrialId).ThenBy(m => m.Group).ThenBy(m => m.StepsCompleted)
                .Select(m => new { m.TrialId, m.Group, m.StepsCompleted, m.SearcherMetric }).ToListAsync();
            Assert.Equal(10, reports.Count);
            Assert.Equal(2.0 / 100, reports.Single(r => r.TrialId == 2 && r.Group == MetricReportEntity.Validation && r.StepsCompleted == 100).SearcherMetric);
            if (db.Database.IsSqlite())
            {
                // EF cannot declare it, so only the migration's own SQL makes the table clustered by its key.
                var sql = await db.Database.SqlQueryRaw<string>("SELECT sql AS \"Value\" FROM sqlite_master WHERE name = 'metric_reports'").SingleAsync();
                Assert.EndsWith("WITHOUT ROWID", sql.TrimEnd(), StringComparison.Ordinal);
            }

            // The key still refuses a second row for the same (trial, group, steps), and a new report is stored.
            db.Metrics.Add(new MetricReportEntity { TrialId = 1, RunId = 2, Group = MetricReportEntity.Training, StepsCompleted = 100, ReportTime = start, MetricsJson = "{}" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();
            db.Metrics.Add(new MetricReportEntity { TrialId = 1, RunId = 2, Group = MetricReportEntity.Training, StepsCompleted = 400, ReportTime = start, MetricsJson = "{}" });
            await db.SaveChangesAsync();
            Assert.Equal(11, await db.Metrics.CountAsync());
            // Deleting a trial still deletes its reports.
            await db.Trials.Where(t => t.Id == 2).ExecuteDeleteAsync();
            Assert.Equal(6, await db.Metrics.CountAsync());
        }
        SqliteConnection.ClearAllPools();

        Task Insert(MasterDbContext db, long id, int trial, string group, long steps, double? metric) => db.Database.ExecuteSqlAsync(
            $"INSERT INTO metric_reports (\"Id\", \"TrialId\", \"RunId\", \"Group\", \"StepsCompleted\", \"ReportTime\", \"MetricsJson\", \"SearcherMetric\") VALUES ({id}, {trial}, 1, {group}, {steps}, {start}, '{{}}', {metric})");
    }
}
