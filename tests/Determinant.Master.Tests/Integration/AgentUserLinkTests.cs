using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// <c>det user link-with-agent-user</c>: an admin links a user with an unprivileged agent account, and that user's
/// next task launches run as it; nobody else may link, and root is never a target.
/// </summary>
public sealed class AgentUserLinkTests
{
    private const string Config = """
        name: linked
        entrypoint: "true"
        searcher:
          name: single
          metric: loss
          max_length:
            batches: 10
        """;

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PatchAsync(HttpClient client, int userId, object body)
    {
        using var response = await client.PatchAsJsonAsync($"/api/v1/users/{userId}", body);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task ALinkedUsersTrialLaunchesAsTheLinkedAccount_AndAnUnlinkedUsersAsTheAgentsDefault()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var alice = (int)(await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-password" }))["user"]!["id"]!;
        using var agent = new FakeAgent(host, "node", 1);
        await agent.RegisterAsync();

        var (status, linked) = await PatchAsync(admin, alice, new { agentUserGroup = new { agentUid = 2001, agentGid = 2002, agentUser = "alice_task" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2001, (int)linked["agentUserGroup"]!["agentUid"]!);
        var listed = (await admin.GetJsonAsync("/api/v1/users"))["users"]!.AsArray().Single(u => (string)u!["username"]! == "alice")!;
        Assert.Equal(2002, (int)listed["agentUserGroup"]!["agentGid"]!);
        var asAlice = await host.LoginAsync("alice", "alice-password");
        await asAlice.CreateExperimentAsync(Config);
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Equal((2001, 2002, "alice_task"), (launch.RunAs!.Uid, launch.RunAs.Gid, launch.RunAs.Name));
        (await agent.SendEventAsync(launch.AllocationId, "EXITED", 0)).EnsureSuccessStatusCode();

        await admin.CreateExperimentAsync(Config);
        var adminLaunch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        Assert.Null(adminLaunch.RunAs);
    }

    [Theory]
    [InlineData(0, 100, null, "agentUserGroup.agentUid: must be 1..2147483647, not 0; tasks never run as root (uid 0)")]
    [InlineData(1000, 0, null, "agentUserGroup.agentGid: must be 1..2147483647, not 0")]
    [InlineData(1000, 1000, "Root Name", "agentUserGroup.agentUser: 'Root Name' is not a Linux account name")]
    public async Task Link_Answers400NamingTheField_ForRootOrABadName(int uid, int gid, string? name, string words)
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var alice = (int)(await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-password" }))["user"]!["id"]!;

        var (status, problem) = await PatchAsync(admin, alice, new { agentUserGroup = new { agentUid = uid, agentGid = gid, agentUser = name } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(words, (string)problem["detail"]!, StringComparison.Ordinal);
        var listed = (await admin.GetJsonAsync("/api/v1/users"))["users"]!.AsArray().Single(u => (string)u!["username"]! == "alice")!;
        Assert.Null(listed["agentUserGroup"]);
    }

    [Fact]
    public async Task Link_Answers403ToANonAdmin_EvenForTheirOwnAccount()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var alice = (int)(await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-password" }))["user"]!["id"]!;
        var asAlice = await host.LoginAsync("alice", "alice-password");

        var (status, _) = await PatchAsync(asAlice, alice, new { agentUserGroup = new { agentUid = 1, agentGid = 1 } });

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(admin, 999, new { agentUserGroup = new { agentUid = 5, agentGid = 5 } })).Status);
    }
}
