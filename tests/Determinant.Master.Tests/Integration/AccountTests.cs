using System.Net;
using System.Net.Http.Json;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tests.Integration;

/// <summary>Passwords: the minimum length, the old one to change one's own, and the tokens a change revokes.</summary>
public sealed class AccountTests
{
    private const string AlicePassword = "alice-password-1";

    private static async Task<int> CreateAliceAsync(HttpClient admin) =>
        (int)(await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = AlicePassword, admin = false }))["user"]!["id"]!;

    /// <summary>A token as a task gets it (<c>DET_USER_TOKEN</c>), issued straight into the database.</summary>
    private static async Task<string> IssueTaskTokenAsync(MasterHost host, int userId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var token = UserTokens.Issue(db, userId, DateTime.UtcNow, 24, taskId: "some-task");
        await db.SaveChangesAsync();
        return token;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Users_RefusePasswordsUnderEightCharacters_NamingTheLimit(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();

        var created = await admin.PostProblemAsync("/api/v1/users", new { username = "alice", password = "1234567", admin = false }, HttpStatusCode.BadRequest);
        var aliceId = await CreateAliceAsync(admin);
        var changed = await admin.PostProblemAsync($"/api/v1/users/{aliceId}/password", new { password = "short" }, HttpStatusCode.BadRequest);

        Assert.Equal("password: must be at least 8 characters long", (string?)created["detail"]);
        Assert.Equal("password: must be at least 8 characters long", (string?)changed["detail"]);
        await host.LoginAsync("alice", AlicePassword);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ChangeOwnPassword_NeedsTheOldOne_AndRevokesTheUsersOtherTokens_ButNotTheOneUsed(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var aliceId = await CreateAliceAsync(admin);
        var alice = await host.LoginAsync("alice", AlicePassword);
        var aliceElsewhere = await host.LoginAsync("alice", AlicePassword);
        var aliceTask = host.WithBearer(await IssueTaskTokenAsync(host, aliceId));
        var path = $"/api/v1/users/{aliceId}/password";

        var missing = await alice.PostProblemAsync(path, new { password = "alice-password-2" }, HttpStatusCode.BadRequest);
        var wrong = await alice.PostProblemAsync(path, new { password = "alice-password-2", oldPassword = "not-her-password" }, HttpStatusCode.Forbidden);
        Assert.StartsWith("oldPassword:", (string?)missing["detail"], StringComparison.Ordinal);
        Assert.StartsWith("oldPassword:", (string?)wrong["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await aliceElsewhere.GetAsync("/api/v1/me")).StatusCode);

        var done = await alice.PostAsJsonAsync(path, new { password = "alice-password-2", oldPassword = AlicePassword });

        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await aliceElsewhere.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await aliceTask.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);
        var old = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { username = "alice", password = AlicePassword });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await host.LoginAsync("alice", "alice-password-2");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AdminChangesAnotherUsersPassword_WithoutTheOldOne_AndRevokesAllOfTheirTokens(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var aliceId = await CreateAliceAsync(admin);
        var alice = await host.LoginAsync("alice", AlicePassword);
        var aliceTask = host.WithBearer(await IssueTaskTokenAsync(host, aliceId));

        var done = await admin.PostAsJsonAsync($"/api/v1/users/{aliceId}/password", new { password = "reset-by-admin" });

        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await aliceTask.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);
        await host.LoginAsync("alice", "reset-by-admin");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task AdminChangingTheirOwnPassword_NeedsTheOldOneToo(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var adminId = (int)(await admin.GetJsonAsync("/api/v1/me"))["user"]!["id"]!;

        await admin.PostProblemAsync($"/api/v1/users/{adminId}/password", new { password = "admin-password-2" }, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/v1/users/{adminId}/password",
            new { password = "admin-password-2", oldPassword = MasterHost.Password })).StatusCode);

        await host.LoginAsync("admin", "admin-password-2");
    }

    [Fact]
    public async Task Master_RefusesToStart_WithAnInitialPasswordUnderEightCharacters()
    {
        var dataDir = Directory.CreateTempSubdirectory("det-master-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
                () => MasterHost.StartAsync(dataDir, null, "--initial-password", "seven-7"));
            Assert.Contains("initial_password: must be at least 8 characters long", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
