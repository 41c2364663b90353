using System.Net;
using System.Net.Http.Json;

namespace Determinant.Master.Tests.Integration;

/// <summary>Passwords: the minimum length.</summary>
public sealed class AccountTests
{
    private const string AlicePassword = "alice-password-1";

    private static async Task<int> CreateAliceAsync(HttpClient admin) =>
        (int)(await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = AlicePassword, admin = false }))["user"]!["id"]!;

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
