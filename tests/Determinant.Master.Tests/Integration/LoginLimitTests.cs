using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// Login is rate-limited by failures: 10 per account and 30 per client address in 60 s (the defaults), then 429 with
/// <c>Retry-After</c>. The clock is fake, so the window passes without waiting.
/// </summary>
public sealed class LoginLimitTests
{
    private static async Task<HttpResponseMessage> LoginAsync(MasterHost host, string username, string password, string route = "login") =>
        await host.Client.PostAsJsonAsync($"/api/v1/auth/{route}", new { username, password });

    private static async Task<JsonObject> TooManyAsync(HttpResponseMessage response, string retryAfter)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"expected 429, got {(int)response.StatusCode} {text}");
        Assert.Equal(retryAfter, response.Headers.GetValues("Retry-After").Single());
        return JsonNode.Parse(text)!.AsObject();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Login_Answers429WithRetryAfter_AfterTenWrongPasswordsForAnAccount_UntilTheWindowEnds(string database)
    {
        TestDatabases.SkipUnavailable(database);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(database, s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 10; i++)
        {
            // Both login routes, the API's and the web UI's, count against the same account.
            var wrong = await LoginAsync(host, i % 2 == 0 ? "admin" : "ADMIN", "wrong-password", i < 5 ? "login" : "web-login");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var blocked = await TooManyAsync(await LoginAsync(host, "admin", MasterHost.Password), "60");
        Assert.Equal("too many failed logins for this account (at most 10 in 60 s); try again in 60 s", (string?)blocked["detail"]);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(host, "determined", MasterHost.Password)).StatusCode);
        time.Advance(TimeSpan.FromSeconds(45));
        await TooManyAsync(await LoginAsync(host, "admin", MasterHost.Password, "web-login"), "15");
        time.Advance(TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(host, "admin", MasterHost.Password)).StatusCode);
    }

    [SkippableFact]
    public async Task Login_LimitsAnUnknownUserAsAKnownOne_SoThatTheAnswerTellsNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, s => s.AddSingleton<TimeProvider>(time));
        var answers = new List<string>();
        foreach (var user in new[] { "admin", "nobody" })
        {
            for (var i = 0; i < 10; i++)
                Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(host, user, "wrong-password")).StatusCode);
            answers.Add((string)(await TooManyAsync(await LoginAsync(host, user, "wrong-password"), "60"))["detail"]!);
        }

        Assert.Equal(answers[0], answers[1]);
    }

    [SkippableFact]
    public async Task Login_Answers429ForEveryAccount_AfterThirtyWrongPasswordsFromOneAddress()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, s => s.AddSingleton<TimeProvider>(time));
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(host, $"guess{i % 5}", "wrong-password")).StatusCode);
        time.Advance(TimeSpan.FromSeconds(20));

        var blocked = await TooManyAsync(await LoginAsync(host, "determined", MasterHost.Password), "40");

        Assert.Equal("too many failed logins for this address (at most 30 in 60 s); try again in 40 s", (string?)blocked["detail"]);
        Assert.Equal("Too many requests", (string?)blocked["title"]);
        time.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(host, "determined", MasterHost.Password)).StatusCode);
    }

    [SkippableFact]
    public async Task Login_NeverLimitsGoodLogins_EvenFortyAtOnceFromOneAddressForOneAccount()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);

        var logins = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => LoginAsync(host, "admin", MasterHost.Password)));

        Assert.All(logins, l => Assert.Equal(HttpStatusCode.OK, l.StatusCode));
        for (var i = 0; i < 9; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(host, "admin", "wrong-password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(host, "admin", MasterHost.Password)).StatusCode);
    }

    [SkippableFact]
    public async Task ChangePassword_CountsWrongOldPasswordsAsFailedLoginsOfTheAccount()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, s => s.AddSingleton<TimeProvider>(time));
        var admin = await host.LoginAsync();
        var adminId = (int)(await admin.GetJsonAsync("/api/v1/me"))["user"]!["id"]!;
        var path = $"/api/v1/users/{adminId}/password";
        for (var i = 0; i < 10; i++)
            await admin.PostProblemAsync(path, new { password = "admin-password-2", oldPassword = $"guess-{i}" }, HttpStatusCode.Forbidden);

        await TooManyAsync(await admin.PostAsJsonAsync(path, new { password = "admin-password-2", oldPassword = MasterHost.Password }), "60");
        await TooManyAsync(await LoginAsync(host, "admin", MasterHost.Password), "60");
    }

    [SkippableFact]
    public async Task Limits_AreMasterOptions()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite, s => s.AddSingleton<TimeProvider>(time),
            "--login_failures_per_account", "2", "--login_failure_window_seconds", "5");
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(host, "admin", "wrong-password")).StatusCode);

        var blocked = await TooManyAsync(await LoginAsync(host, "admin", "wrong-password"), "5");

        Assert.Contains("(at most 2 in 5 s)", (string?)blocked["detail"], StringComparison.Ordinal);
    }
}
