using Determinant.Testing;
using Determinant.Client;

namespace Determinant.Cli.Tests;

/// <summary><c>det user …</c> and the authentication order of REFERENCE.md §6.1, against the real master.</summary>
[Collection(SharedMaster.Name)]
public sealed class UserCommandTests(TestMaster master) : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("det-cli-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Login_StoresATokenReadableOnlyByItsOwner_AndWhoamiAndLogoutUseIt()
    {
        var det = new Det(master.Url, _home);

        var login = await det.RunWithInputAsync($"{TestMaster.AdminPassword}\n", "user", "login", "admin");

        Assert.True(login.ExitCode == 0, login.Error);
        Assert.Contains("Password for user 'admin': ", login.Error, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? UnixFileMode.UserRead | UnixFileMode.UserWrite : File.GetUnixFileMode(det.AuthFile));
        Assert.Contains(master.Url, await File.ReadAllTextAsync(det.AuthFile), StringComparison.Ordinal);
        var whoami = await det.RunAsync("user", "whoami");
        Assert.Equal("You are logged in as user 'admin'\n", whoami.Output);
        Assert.Equal(0, (await det.RunAsync("user", "logout")).ExitCode);
        var after = await det.RunAsync("user", "whoami");
        Assert.Equal(ExitCodes.AuthFailure, after.ExitCode);
        Assert.Contains("det user login", after.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_PromptsForTheUserName_WhenItIsMissing()
    {
        var det = new Det(master.Url, _home);

        var login = await det.RunWithInputAsync($"admin\n{TestMaster.AdminPassword}\n", "user", "login");

        Assert.True(login.ExitCode == 0, login.Error);
        Assert.StartsWith("Username: Password for user 'admin': ", login.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_LogInOnTheFly_WithDetUserAndDetPass_AndStoreNothing()
    {
        var det = new Det(master.Url, _home);
        det.Environment["DET_USER"] = "admin";
        det.Environment["DET_PASS"] = TestMaster.AdminPassword;

        var whoami = await det.RunAsync("user", "whoami");

        Assert.Equal("You are logged in as user 'admin'\n", whoami.Output);
        Assert.False(File.Exists(det.AuthFile));
    }

    [Fact]
    public async Task Login_FailsWithAuthFailure_WhenThePasswordIsWrong()
    {
        var det = new Det(master.Url, _home);

        var login = await det.RunWithInputAsync("wrong-password\n", "user", "login", "admin");

        Assert.Equal(ExitCodes.AuthFailure, login.ExitCode);
        Assert.Contains("invalid credentials", login.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(det.AuthFile));
    }

    [Fact]
    public async Task UserCreateListAndChangePassword_Work_ForAnAdmin()
    {
        var det = new Det(master.Url, _home);
        await det.RunWithInputAsync($"{TestMaster.AdminPassword}\n", "user", "login", "admin");
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];

        var created = await det.RunAsync("user", "create", name, "--password", "first-password");
        var list = await det.RunAsync("user", "list");
        var changed = await det.RunWithInputAsync("second-password\nsecond-password\n", "user", "change-password", name);

        Assert.Equal($"Created user '{name}'\n", created.Output);
        Assert.Contains(list.Output.Split('\n'), l => l.Contains($"| {name} ", StringComparison.Ordinal));
        Assert.True(changed.ExitCode == 0, changed.Error);
        using var client = await DeterminantClient.LoginAsync(master.Url, name, "second-password", CancellationToken.None);
        Assert.Equal(name, (await client.GetMeAsync(CancellationToken.None)).Username);
    }

    [Fact]
    public async Task LinkWithAgentUser_LinksTheUser_AndRefusesRootNamingTheField()
    {
        var det = new Det(master.Url, _home);
        await det.RunWithInputAsync($"{TestMaster.AdminPassword}\n", "user", "login", "admin");
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        await det.RunAsync("user", "create", name, "--password", "first-password");

        var linked = await det.RunAsync("user", "link-with-agent-user", name, "--agent-uid", "3001", "--agent-gid", "3002", "--agent-user", "tasks");
        var root = await det.RunAsync("user", "link-with-agent-user", name, "--agent-uid", "0", "--agent-gid", "3002");

        Assert.True(linked.ExitCode == 0, linked.Error);
        Assert.Equal($"User '{name}' is linked with agent user tasks (uid 3001, gid 3002)\n", linked.Output);
        Assert.NotEqual(0, root.ExitCode);
        Assert.Contains("agentUserGroup.agentUid: must be 1..2147483647, not 0", root.Error, StringComparison.Ordinal);
        using var client = await DeterminantClient.LoginAsync(master.Url, name, "first-password", CancellationToken.None);
        Assert.Equal(3001, (await client.GetMeAsync(CancellationToken.None)).AgentUserGroup?.AgentUid);
    }

    [Fact]
    public async Task ChangePassword_OfOnesOwn_AsksForTheCurrentOne_AndRefusesAWrongOne()
    {
        var name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        using (var admin = await master.AdminAsync())
            await admin.CreateUserAsync(name, "first-password", admin: false, CancellationToken.None);
        var det = new Det(master.Url, _home);
        await det.RunWithInputAsync("first-password\n", "user", "login", name);

        var wrong = await det.RunWithInputAsync("not-the-password\nsecond-password\nsecond-password\n", "user", "change-password");
        var changed = await det.RunWithInputAsync("first-password\nsecond-password\nsecond-password\n", "user", "change-password");

        Assert.Equal(ExitCodes.AuthFailure, wrong.ExitCode);
        Assert.Contains("the current password is wrong", wrong.Error, StringComparison.Ordinal);
        Assert.True(changed.ExitCode == 0, changed.Error);
        Assert.StartsWith($"Current password for user '{name}': New password for user '{name}': Confirm password: ", changed.Error, StringComparison.Ordinal);
        Assert.Equal($"Password for user '{name}' has been changed\n", changed.Output);
        Assert.Equal(0, (await det.RunAsync("user", "whoami")).ExitCode);
        using var client = await DeterminantClient.LoginAsync(master.Url, name, "second-password", CancellationToken.None);
    }

    [Fact]
    public async Task UserCreate_FailsNamingTheLimit_WhenThePasswordIsShort()
    {
        var det = new Det(master.Url, _home);
        det.Environment["DET_USER"] = "admin";
        det.Environment["DET_PASS"] = TestMaster.AdminPassword;

        var created = await det.RunAsync("user", "create", "cli-" + Guid.NewGuid().ToString("N")[..8], "--password", "seven-7");

        Assert.NotEqual(0, created.ExitCode);
        Assert.Contains("password: must be at least 8 characters long", created.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MasterInfo_PrintsOnlyParseableJson_WithJson()
    {
        var det = new Det(master.Url, _home);
        det.Environment["DET_USER"] = "admin";
        det.Environment["DET_PASS"] = TestMaster.AdminPassword;

        var info = await det.RunAsync("master", "info", "--json");

        Assert.Equal("determinant", (string?)System.Text.Json.Nodes.JsonNode.Parse(info.Output)!["clusterName"]);
        Assert.Equal("", info.Error);
    }

    [Fact]
    public async Task AnyCommand_FailsWithUsage_WhenTheMasterAddressHasAQuery()
    {
        var run = await new Det(master.Url, _home).RunAsync("-m", "localhost:8080?x=1", "user", "whoami");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("query", run.Error, StringComparison.Ordinal);
    }
}
