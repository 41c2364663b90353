using System.Net;

namespace Determinant.Master.Tests.Integration;

/// <summary>New usernames: no control or invisible characters, a bounded length, unique regardless of case.</summary>
public sealed class UsernameTests
{
    private static async Task<List<string>> UsernamesAsync(HttpClient admin) =>
        [.. (await admin.GetJsonAsync("/api/v1/users"))["users"]!.AsArray().Select(u => (string)u!["username"]!)];

    [Fact]
    public async Task CreateUser_Answers409_WhenTheNameDiffersFromAnExistingOneOnlyInCase()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-password" });

        var upper = await admin.PostProblemAsync("/api/v1/users", new { username = "Alice", password = "other-password" }, HttpStatusCode.Conflict);
        var same = await admin.PostProblemAsync("/api/v1/users", new { username = "alice", password = "other-password" }, HttpStatusCode.Conflict);
        var admins = await admin.PostProblemAsync("/api/v1/users", new { username = "ADMIN", password = "other-password" }, HttpStatusCode.Conflict);

        Assert.Contains("existing user 'alice' only in case", (string)upper["detail"]!, StringComparison.Ordinal);
        Assert.Contains("'alice' already exists", (string)same["detail"]!, StringComparison.Ordinal);
        Assert.Contains("existing user 'admin'", (string)admins["detail"]!, StringComparison.Ordinal);
        Assert.Equal(["admin", "alice", "determined"], (await UsernamesAsync(admin)).Order(StringComparer.Ordinal));
        await host.LoginAsync("alice", "alice-password");
    }

    [Theory]
    [InlineData("bob\nadmin", "U+000A at position 3")]
    [InlineData("bob\u0000", "U+0000 at position 3")]
    [InlineData("\u202Eadmin", "U+202E at position 0")]
    [InlineData("bo\u200Bb", "U+200B at position 2")]
    [InlineData(" bob", "whitespace")]
    [InlineData("   ", "must not be empty")]
    public async Task CreateUser_Answers400NamingTheCharacter_WhenTheNameHasControlOrInvisibleCharacters(string username, string words)
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        var problem = await admin.PostProblemAsync("/api/v1/users", new { username, password = "bob-password" }, HttpStatusCode.BadRequest);

        Assert.Contains(words, (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(2, (await UsernamesAsync(admin)).Count);
    }

    [Fact]
    public async Task CreateUser_AcceptsANameOfTheLimit_AndRefusesOneLonger()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();

        await admin.PostOkAsync("/api/v1/users", new { username = new string('é', Auth.Usernames.MaxLength), password = "long-password" });
        var problem = await admin.PostProblemAsync("/api/v1/users", new { username = new string('x', Auth.Usernames.MaxLength + 1), password = "long-password" },
            HttpStatusCode.BadRequest);

        Assert.Contains($"over the limit of {Auth.Usernames.MaxLength}", (string)problem["detail"]!, StringComparison.Ordinal);
        Assert.Equal(3, (await UsernamesAsync(admin)).Count);
    }
}
