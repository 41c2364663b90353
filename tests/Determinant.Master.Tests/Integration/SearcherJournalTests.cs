using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tests.Integration;

/// <summary>The searcher is saved after every event as one journal row, with a fresh snapshot once the journal outgrows it.</summary>
public sealed class SearcherJournalTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Journal_GrowsByOneRowPerEvent_ResetsWithEachSnapshot_AndContinuesAfterARestart(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var db = await TestDatabase.CreateAsync(database);
        var host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
        try
        {
            var admin = await host.LoginAsync();
            var id = await admin.CreateExperimentAsync();
            var trialId = (int)(await admin.TrialsAsync(id))[0]!["id"]!;
            var trial = await TrialActor.StartAsync(host, trialId);
            var (rows, snapshot) = await JournalAsync(host, id);
            int appends = 0, snapshots = 0;
            for (var units = 1; units <= 40 || rows != 1; units++)
            {
                // One progress report is one searcher event.
                (await trial.Client.PostAsJsonAsync($"/api/v1/trials/{trialId}/progress", new { progress = units })).EnsureSuccessStatusCode();
                var (nextRows, nextSnapshot) = await JournalAsync(host, id);
                if (nextSnapshot == snapshot)
                {
                    Assert.Equal(rows + 1, nextRows);
                    appends++;
                }
                else
                {
                    Assert.Equal(0, nextRows);
                    snapshots++;
                }
                (rows, snapshot) = (nextRows, nextSnapshot);
            }
            Assert.True(appends >= 20 && snapshots >= 1, $"{appends} appends, {snapshots} snapshots");

            // A restarted master restores snapshot + journal (one line, just after a snapshot) and goes on appending to it.
            await host.DisposeAsync();
            host = await MasterHost.StartAsync(db.DataDir, db.DbUrl);
            using var task = host.WithAllocationToken(trial.Token);
            (await task.PostAsJsonAsync($"/api/v1/trials/{trialId}/progress", new { progress = 1000 })).EnsureSuccessStatusCode();
            Assert.Equal((rows + 1, snapshot), await JournalAsync(host, id));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task<(int Rows, string? Snapshot)> JournalAsync(MasterHost host, int experimentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.MasterDbContext>();
        var rows = await db.SearcherJournal.CountAsync(j => j.ExperimentId == experimentId);
        var snapshot = await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.SearcherSnapshot).SingleAsync();
        return (rows, snapshot);
    }
}
