using Determinant.Master.Domain;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Determinant.Master.Tests.Integration;

/// <summary>Experiment and trial notes (REFERENCE.md §8, Notes tab): <c>PATCH /api/v1/experiments/{id}</c> and <c>/trials/{id}</c>.</summary>
public sealed class NotesTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Notes_AreStoredAndReadBack_LimitedTo64KiB_AndOnlyTheOwnerOrAnAdminMayChangeThem(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw", admin = false });
        await admin.PostOkAsync("/api/v1/users", new { username = "bob", password = "bob-pw-12", admin = false });
        var alice = await host.LoginAsync("alice", "alice-pw");
        var bob = await host.LoginAsync("bob", "bob-pw-12");
        var experimentId = await alice.CreateExperimentAsync(activate: false);
        var experiment = $"/api/v1/experiments/{experimentId}";
        Assert.Null((string?)(await alice.GetJsonAsync(experiment))["experiment"]!["notes"]);

        const string text = "first line <b>not bold</b>\nsecond line — ünïcode";
        var patched = await PatchOkAsync(alice, experiment, new { notes = text });
        Assert.Equal(text, (string?)patched["experiment"]!["notes"]);
        Assert.Equal(text, (string?)(await bob.GetJsonAsync(experiment))["experiment"]!["notes"]);
        var listed = (await alice.GetJsonAsync("/api/v1/experiments"))["experiments"]!.AsArray().Single(e => (int)e!["id"]! == experimentId);
        Assert.Equal(text, (string?)listed!["notes"]);

        // Exactly 64 KiB of UTF-8 (two bytes a character) is accepted; one byte more is refused and changes nothing.
        var limit = new string('é', 32 * 1024);
        Assert.Equal(limit, (string?)(await PatchOkAsync(alice, experiment, new { notes = limit }))["experiment"]!["notes"]);
        var tooLong = await PatchProblemAsync(alice, experiment, new { notes = limit + "a" }, HttpStatusCode.BadRequest);
        Assert.Contains("notes: must be at most 65536 bytes (64 KiB) of UTF-8, not 65537", (string?)tooLong["detail"], StringComparison.Ordinal);
        Assert.Equal(limit, (string?)(await alice.GetJsonAsync(experiment))["experiment"]!["notes"]);

        // Another (non-admin) user may read but not change them; an admin may.
        var forbidden = await PatchProblemAsync(bob, experiment, new { notes = "bob was here" }, HttpStatusCode.Forbidden);
        Assert.Contains("owner or an admin", (string?)forbidden["detail"], StringComparison.Ordinal);
        Assert.Equal(limit, (string?)(await alice.GetJsonAsync(experiment))["experiment"]!["notes"]);
        Assert.Equal("by admin", (string?)(await PatchOkAsync(admin, experiment, new { notes = "by admin" }))["experiment"]!["notes"]);
        // A patch without notes keeps them; an empty string clears them.
        await PatchOkAsync(alice, experiment, new { });
        Assert.Equal("by admin", (string?)(await alice.GetJsonAsync(experiment))["experiment"]!["notes"]);
        Assert.Null((string?)(await PatchOkAsync(alice, experiment, new { notes = "" }))["experiment"]!["notes"]);

        // Trials: same rules, on their own column.
        await alice.PostOkAsync($"{experiment}/activate");
        var trialId = (int)(await WaitForTrialAsync(alice, experimentId))["id"]!;
        var trial = $"/api/v1/trials/{trialId}";
        Assert.Null((string?)(await alice.GetJsonAsync(trial))["trial"]!["notes"]);
        Assert.Equal(text, (string?)(await PatchOkAsync(alice, trial, new { notes = text }))["trial"]!["notes"]);
        Assert.Equal(text, (string?)(await bob.GetJsonAsync(trial))["trial"]!["notes"]);
        Assert.Equal(text, (string?)(await alice.TrialsAsync(experimentId))[0]!["notes"]);
        Assert.Null((string?)(await alice.GetJsonAsync(experiment))["experiment"]!["notes"]);
        var trialTooLong = await PatchProblemAsync(alice, trial, new { notes = limit + "a" }, HttpStatusCode.BadRequest);
        Assert.Contains("notes: must be at most 65536 bytes", (string?)trialTooLong["detail"], StringComparison.Ordinal);
        await PatchProblemAsync(bob, trial, new { notes = "bob" }, HttpStatusCode.Forbidden);
        Assert.Equal(text, (string?)(await alice.GetJsonAsync(trial))["trial"]!["notes"]);
        await PatchProblemAsync(alice, "/api/v1/trials/999999", new { notes = "x" }, HttpStatusCode.NotFound);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Migration_AddsNullableNotes_ToADatabaseAtThePreviousMigration(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var owned = await TestDatabase.CreateAsync(database);
        await using (var db = owned.OpenContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var notes = migrations.FindIndex(m => m.EndsWith("_Notes", StringComparison.Ordinal));
            await db.GetService<IMigrator>().MigrateAsync(migrations[notes - 1]);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (\"Id\", \"Username\", \"PasswordHash\", \"Admin\", \"Active\", \"CreatedAt\") VALUES (1, 'old', 'x', FALSE, TRUE, '2026-01-01 00:00:00')");
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO experiments (\"Id\", \"Name\", \"OwnerId\", \"ProjectId\", \"ConfigYaml\", \"ConfigJson\", \"State\", \"Archived\", \"Progress\", \"StartTime\", \"SearcherJournalNextSeq\") VALUES (1, 'old', 1, 1, 'y', '{{}}', 'Paused', FALSE, 0, {start}, 0)");
        }

        await using (var db = owned.OpenContext())
        {
            await MasterDatabase.MigrateAsync(db, CancellationToken.None);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var old = await db.Experiments.SingleAsync(e => e.Id == 1);
            Assert.Equal(("old", (string?)null), (old.Name, old.Notes));
            old.Notes = "line 1\nline 2";
            await db.SaveChangesAsync();
        }
        await using (var db = owned.OpenContext())
            Assert.Equal("line 1\nline 2", await db.Experiments.Where(e => e.Id == 1).Select(e => e.Notes).SingleAsync());
        SqliteConnection.ClearAllPools();
    }

    private static async Task<JsonObject> PatchOkAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PATCH {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonObject> PatchProblemAsync(HttpClient client, string path, object body, HttpStatusCode status)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"PATCH {path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static async Task<JsonNode> WaitForTrialAsync(HttpClient client, int experimentId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var trials = await client.TrialsAsync(experimentId);
            if (trials.Count > 0)
                return trials[0]!;
            Assert.True(DateTime.UtcNow < deadline, $"experiment {experimentId} made no trial within 30 s");
            await Task.Delay(50);
        }
    }
}
