using System.Net;
using System.Net.Http.Json;
using Determinant.Master.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Determinant.Master.Tests.Integration;

public sealed class ProjectTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task FreshMaster_HasUncategorizedWorkspaceAndProject_AndExperimentsWithoutProjectGoThere(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();

        var workspaces = (await admin.GetJsonAsync("/api/v1/workspaces"))["workspaces"]!.AsArray();
        var uncategorized = Assert.Single(workspaces)!;
        Assert.Equal(1, (int)uncategorized["id"]!);
        Assert.Equal("Uncategorized", (string)uncategorized["name"]!);
        Assert.True((bool)uncategorized["immutable"]!);
        var project = (await admin.GetJsonAsync("/api/v1/projects/1"))["project"]!;
        Assert.Equal("Uncategorized", (string)project["name"]!);
        Assert.Equal("Uncategorized", (string)project["workspaceName"]!);

        var id = await admin.CreateExperimentAsync(activate: false);

        var experiment = (await admin.GetJsonAsync($"/api/v1/experiments/{id}"))["experiment"]!;
        Assert.Equal(1, (int)experiment["projectId"]!);
        Assert.Equal(1, (int)experiment["workspaceId"]!);
        Assert.Equal("Uncategorized", (string)experiment["projectName"]!);
        Assert.Equal("Uncategorized", (string)experiment["workspaceName"]!);
        Assert.Equal(1, (int)(await admin.GetJsonAsync("/api/v1/projects/1"))["project"]!["numExperiments"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task WorkspacesAndProjects_AreCreatedListedAndHoldTheirExperiments(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();

        var created = await admin.PostOkAsync("/api/v1/workspaces", new { name = "vision" });
        var workspaceId = (int)created["workspace"]!["id"]!;
        Assert.Equal("admin", (string)created["workspace"]!["username"]!);
        var project = await admin.PostOkAsync($"/api/v1/workspaces/{workspaceId}/projects", new { name = "resnet", description = "baselines" });
        var projectId = (int)project["project"]!["id"]!;
        Assert.NotEqual(1, projectId);
        Assert.Equal("vision", (string)project["project"]!["workspaceName"]!);

        var inProject = (int)(await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, activate = false, projectId }))["experiment"]!["id"]!;
        var elsewhere = await admin.CreateExperimentAsync(activate: false);

        var experiment = (await admin.GetJsonAsync($"/api/v1/experiments/{inProject}"))["experiment"]!;
        Assert.Equal(projectId, (int)experiment["projectId"]!);
        Assert.Equal(workspaceId, (int)experiment["workspaceId"]!);
        Assert.Equal("resnet", (string)experiment["projectName"]!);
        Assert.Equal("vision", (string)experiment["workspaceName"]!);
        var listed = (await admin.GetJsonAsync($"/api/v1/experiments?projectId={projectId}"))["experiments"]!.AsArray();
        Assert.Equal([inProject], listed.Select(e => (int)e!["id"]!));
        var ofProject = (await admin.GetJsonAsync($"/api/v1/projects/{projectId}/experiments"))["experiments"]!.AsArray();
        Assert.Equal([inProject], ofProject.Select(e => (int)e!["id"]!));
        var ofDefault = (await admin.GetJsonAsync("/api/v1/projects/1/experiments"))["experiments"]!.AsArray();
        Assert.Equal([elsewhere], ofDefault.Select(e => (int)e!["id"]!));
        var projects = (await admin.GetJsonAsync($"/api/v1/workspaces/{workspaceId}/projects"))["projects"]!.AsArray();
        var only = Assert.Single(projects)!;
        Assert.Equal(("resnet", "baselines", 1), ((string)only["name"]!, (string?)only["description"], (int)only["numExperiments"]!));
        var workspace = (await admin.GetJsonAsync($"/api/v1/workspaces/{workspaceId}"))["workspace"]!;
        Assert.Equal((1, 1), ((int)workspace["numProjects"]!, (int)workspace["numExperiments"]!));
        Assert.Equal(2, (await admin.GetJsonAsync("/api/v1/workspaces"))["workspaces"]!.AsArray().Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task BadNamesDuplicatesAndMissingIds_AreRefusedNamingThem_AndCreateNothing(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/workspaces", new { name = "nlp" });

        Assert.Contains("name must not be empty", (string)(await admin.PostProblemAsync("/api/v1/workspaces", new { name = " " }, HttpStatusCode.BadRequest))["detail"]!, StringComparison.Ordinal);
        Assert.Contains("'a/b' must not contain '/'", (string)(await admin.PostProblemAsync("/api/v1/workspaces", new { name = "a/b" }, HttpStatusCode.BadRequest))["detail"]!, StringComparison.Ordinal);
        Assert.Contains("workspace 'nlp' already exists", (string)(await admin.PostProblemAsync("/api/v1/workspaces", new { name = "nlp" }, HttpStatusCode.Conflict))["detail"]!, StringComparison.Ordinal);
        Assert.Contains("workspace 99 not found", (string)(await admin.PostProblemAsync("/api/v1/workspaces/99/projects", new { name = "x" }, HttpStatusCode.NotFound))["detail"]!, StringComparison.Ordinal);
        await admin.PostOkAsync("/api/v1/workspaces/1/projects", new { name = "extra" });
        Assert.Contains("project 'extra' already exists in workspace 'Uncategorized'",
            (string)(await admin.PostProblemAsync("/api/v1/workspaces/1/projects", new { name = "extra" }, HttpStatusCode.Conflict))["detail"]!, StringComparison.Ordinal);
        var missing = await admin.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, projectId = 4242 }, HttpStatusCode.NotFound);
        Assert.Contains("project 4242 not found", (string)missing["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/projects/4242/experiments")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/workspaces/4242")).StatusCode);
        Assert.Equal(0, await admin.ExperimentCountAsync());
        Assert.Equal(2, (await admin.GetJsonAsync("/api/v1/workspaces"))["workspaces"]!.AsArray().Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task OnlyOwnersAndAdmins_CreateProjectsAndSubmitIntoThem_ButEveryoneMayUseUncategorized(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw", admin = false });
        await admin.PostOkAsync("/api/v1/users", new { username = "bob", password = "bob-pw-12", admin = false });
        var alice = await host.LoginAsync("alice", "alice-pw");
        var bob = await host.LoginAsync("bob", "bob-pw-12");

        var aliceWs = (int)(await alice.PostOkAsync("/api/v1/workspaces", new { name = "alice-ws" }))["workspace"]!["id"]!;
        var aliceProject = (int)(await alice.PostOkAsync($"/api/v1/workspaces/{aliceWs}/projects", new { name = "p" }))["project"]!["id"]!;
        var denied = await bob.PostProblemAsync($"/api/v1/workspaces/{aliceWs}/projects", new { name = "q" }, HttpStatusCode.Forbidden);
        Assert.Contains("owner of workspace 'alice-ws'", (string)denied["detail"]!, StringComparison.Ordinal);
        await bob.PostProblemAsync("/api/v1/workspaces/1/projects", new { name = "q" }, HttpStatusCode.Forbidden);
        var refused = await bob.PostProblemAsync("/api/v1/experiments", new { config = Api.SingleConfig, projectId = aliceProject }, HttpStatusCode.Forbidden);
        Assert.Contains($"project {aliceProject} ('alice-ws/p')", (string)refused["detail"]!, StringComparison.Ordinal);
        Assert.Equal(0, await admin.ExperimentCountAsync());

        await alice.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, activate = false, projectId = aliceProject });
        await admin.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, activate = false, projectId = aliceProject });
        await bob.PostOkAsync("/api/v1/experiments", new { config = Api.SingleConfig, activate = false, projectId = 1 });
        await admin.PostOkAsync($"/api/v1/workspaces/{aliceWs}/projects", new { name = "by-admin" });
        Assert.Equal(2, (int)(await bob.GetJsonAsync($"/api/v1/projects/{aliceProject}"))["project"]!["numExperiments"]!);
        Assert.Equal(2, (await bob.GetJsonAsync($"/api/v1/workspaces/{aliceWs}/projects"))["projects"]!.AsArray().Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Migration_MovesExperimentsMadeBeforeProjectsIntoUncategorized(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var owned = await TestDatabase.CreateAsync(database);
        await using (var db = owned.OpenContext())
        {
            var migrator = db.GetService<IMigrator>();
            var before = db.Database.GetMigrations().Last(m => m.EndsWith("_SearcherJournal", StringComparison.Ordinal));
            await migrator.MigrateAsync(before);
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO users (\"Id\", \"Username\", \"PasswordHash\", \"Admin\", \"Active\", \"CreatedAt\") VALUES (1, 'old', 'x', FALSE, TRUE, '2026-01-01 00:00:00')");
            var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            foreach (var (id, project) in new[] { (1, 1), (2, 7) })
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO experiments (\"Id\", \"Name\", \"OwnerId\", \"ProjectId\", \"ConfigYaml\", \"ConfigJson\", \"State\", \"Archived\", \"Progress\", \"StartTime\", \"SearcherJournalNextSeq\") VALUES ({id}, {"old-" + id}, 1, {project}, 'y', '{{}}', 'Paused', FALSE, 0, {start}, 0)");
        }

        await using (var db = owned.OpenContext())
        {
            await MasterDatabase.MigrateAsync(db, CancellationToken.None);
            var rows = await db.Experiments.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Id, e.ProjectId, Workspace = e.Project!.Workspace!.Name }).ToListAsync();
            Assert.Equal([(1, 1, "Uncategorized"), (2, 1, "Uncategorized")], rows.Select(r => (r.Id, r.ProjectId, r.Workspace)));
            db.Workspaces.Add(new Data.Entities.WorkspaceEntity { Name = "after", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
            Assert.Equal(2, await db.Workspaces.Where(w => w.Name == "after").Select(w => w.Id).SingleAsync());
        }
        SqliteConnection.ClearAllPools();
    }
}
