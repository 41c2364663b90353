using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace Determinant.Master.Tests.Integration;

public sealed class AuthTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Login_GivesTokenThatLogoutRevokes_WhenPasswordIsRight(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();

        var me = await admin.GetJsonAsync("/api/v1/me");
        Assert.Equal("admin", (string)me["user"]!["username"]!);
        Assert.True((bool)me["user"]!["admin"]!);
        var master = await admin.GetJsonAsync("/api/v1/master");
        Assert.False(string.IsNullOrEmpty((string)master["clusterId"]!));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/me")).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Login_Answers401WithOneMessage_WhenUserOrPasswordIsWrong(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);

        var wrongPassword = await host.Client.PostProblemAsync("/api/v1/auth/login", new { username = "admin", password = "nope" }, HttpStatusCode.Unauthorized);
        var wrongUser = await host.Client.PostProblemAsync("/api/v1/auth/login", new { username = "nobody", password = MasterHost.Password }, HttpStatusCode.Unauthorized);
        var emptyPassword = await host.Client.PostProblemAsync("/api/v1/auth/login", new { username = "determined", password = "" }, HttpStatusCode.Unauthorized);

        Assert.Equal((string?)wrongPassword["detail"], (string?)wrongUser["detail"]);
        Assert.Equal((string?)wrongPassword["detail"], (string?)emptyPassword["detail"]);
        Assert.DoesNotContain("password", (string)wrongPassword["detail"]!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("user", (string)wrongPassword["detail"]!, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task EveryRoute_Answers401_WithoutToken(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText).Order().ToList();
        // The web UI's files (/det/…, / redirects there) hold no data; its login sets the session cookie.
        Assert.Equal(["/", "/api/v1/auth/login", "/api/v1/auth/web-login", "/api/v1/openapi.json", "/det/{**path}", "/health"], anonymous);

        var checkedRoutes = 0;
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null))
        {
            var path = endpoint.RoutePattern.RawText!
                .Replace("{id:int}", "1", StringComparison.Ordinal)
                .Replace("{uuid:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
                .Replace("{allocationId}", "1.x.1", StringComparison.Ordinal);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) };
                var response = await host.Client.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
                checkedRoutes++;
            }
        }
        Assert.True(checkedRoutes > 25, $"only {checkedRoutes} routes found");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Users_RejectEmptyPasswordsAndNonAdminCreators(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostProblemAsync("/api/v1/users", new { username = "alice", password = "", admin = false }, HttpStatusCode.BadRequest);
        var created = await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw", admin = false });
        var aliceId = (int)created["user"]!["id"]!;

        var alice = await host.LoginAsync("alice", "alice-pw");
        await alice.PostProblemAsync("/api/v1/users", new { username = "bob", password = "bob-password", admin = true }, HttpStatusCode.Forbidden);
        await alice.PostProblemAsync($"/api/v1/users/{aliceId}/password", new { password = "", oldPassword = "alice-pw" }, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.PostAsJsonAsync($"/api/v1/users/{aliceId}/password",
            new { password = "alice-new-pw", oldPassword = "alice-pw" })).StatusCode);
        await host.LoginAsync("alice", "alice-new-pw");
        var users = (await alice.GetJsonAsync("/api/v1/users"))["users"]!.AsArray();
        Assert.Equal(["admin", "determined", "alice"], users.Select(u => (string)u!["username"]!));
    }

    [SkippableFact]
    public async Task InitialPassword_IsGeneratedAndSavedOwnerOnly_WhenNotGiven()
    {
        Skip.If(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        var dataDir = Directory.CreateTempSubdirectory("det-master-").FullName;
        var app = Hosting.MasterApp.Build(["--data-dir", dataDir, "--port", "0", "--listen-address", "127.0.0.1"]);
        await using (app)
        {
            await Hosting.MasterApp.InitializeAsync(app, CancellationToken.None);
        }
        var file = Path.Combine(dataDir, "initial-password");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? default : File.GetUnixFileMode(file));
        var password = (await File.ReadAllTextAsync(file)).Trim();
        Assert.True(password.Length >= 16);

        await using var host = await MasterHost.StartAsync(dataDir);
        var login = await host.Client.PostAsJsonAsync("/api/v1/auth/login", new { username = "determined", password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.NotNull((await login.Content.ReadFromJsonAsync<JsonObject>())!["token"]);
    }
}
