using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.WebUi;

/// <summary>The web UI's hosting on the real master: the built app at /det/ with client-side routes, and the cookie session.</summary>
public sealed class WebUiTests
{
    private static HttpClient NoRedirects(MasterHost host) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.Client.BaseAddress };

    private static async Task<string> WebLoginAsync(MasterHost host, HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/web-login", new { username = "admin", password = MasterHost.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var token = setCookie.Split(';')[0]["det_session=".Length..];
        Assert.StartsWith("det_session=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
        Assert.Equal("admin", (string)JsonNode.Parse(body)!["user"]!["username"]!);
        _ = host;
        return token;
    }

    private static HttpRequestMessage WithCookie(HttpMethod method, string path, string token, bool webHeader = false)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"det_session={token}");
        if (webHeader)
            request.Headers.Add("X-Det-Web", "1");
        if (method == HttpMethod.Post)
            request.Content = JsonContent.Create(new { });
        return request;
    }

    [Fact]
    public async Task WebLogin_SetsAnHttpOnlyStrictCookie_ThatAuthenticatesReads()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        using var client = NoRedirects(host);
        var token = await WebLoginAsync(host, client);

        using var me = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/v1/me", token));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var anonymous = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var wrong = await client.PostAsJsonAsync("/api/v1/auth/web-login", new { username = "admin", password = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task CookieSession_RefusesAStateChange_WithoutTheWebHeader()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync(activate: false);
        using var client = NoRedirects(host);
        var token = await WebLoginAsync(host, client);

        using var forged = await client.SendAsync(WithCookie(HttpMethod.Post, $"/api/v1/experiments/{id}/activate", token));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal("STATE_PAUSED", await admin.ExperimentStateAsync(id));

        using var fromTheUi = await client.SendAsync(WithCookie(HttpMethod.Post, $"/api/v1/experiments/{id}/activate", token, webHeader: true));
        Assert.Equal(HttpStatusCode.OK, fromTheUi.StatusCode);
        Assert.Equal("STATE_ACTIVE", await admin.ExperimentStateAsync(id));
    }

    [Fact]
    public async Task WebLogout_RevokesTheToken_AndClearsTheCookie()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        using var client = NoRedirects(host);
        var token = await WebLoginAsync(host, client);

        using var logout = await client.SendAsync(WithCookie(HttpMethod.Post, "/api/v1/auth/web-logout", token, webHeader: true));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        var cleared = Assert.Single(logout.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("det_session=;", cleared, StringComparison.Ordinal);
        using var after = await client.SendAsync(WithCookie(HttpMethod.Get, "/api/v1/me", token));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        // The same token as a bearer is revoked too: it was one session.
        using var bearer = host.WithBearer(token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bearer.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task TheApp_IsServedAtDet_WithClientRoutesFallingBackToIndex_AndRootRedirecting()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        using var client = NoRedirects(host);

        using var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/det/", root.Headers.Location!.OriginalString);
        using var bare = await client.GetAsync("/det");
        Assert.Equal(HttpStatusCode.Redirect, bare.StatusCode);
        Assert.Equal("/det/", bare.Headers.Location!.OriginalString);
        using var index = await client.GetAsync("/det/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        var html = await index.Content.ReadAsStringAsync();
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());

        using var route = await client.GetAsync("/det/experiments/12?tab=trials");
        Assert.Equal(HttpStatusCode.OK, route.StatusCode);
        Assert.Equal(html, await route.Content.ReadAsStringAsync());

        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"/det/(assets/[^\"]+\\.js)\"").Groups[1].Value;
        using var asset = await client.GetAsync("/det/" + script);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("text/javascript", asset.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", asset.Headers.CacheControl!.ToString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/det/assets/missing-0000.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/det/..%2F..%2Fdeterminant-master.dll")).StatusCode);
        // The API stays behind the login; only the app's files are public.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/experiments")).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ExperimentSummaries_GiveTheSearcherMetricAndItsBestValue_ForEachListedExperiment(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var reported = await admin.CreateExperimentAsync();
        var quiet = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(reported))[0]!["id"]!);
        foreach (var (steps, loss) in new[] { (100UL, 0.5), (200UL, 0.25), (300UL, 0.4) })
            (await trial.ReportAsync("validation", steps, new JsonObject { ["loss"] = loss })).EnsureSuccessStatusCode();

        var summaries = (await admin.GetJsonAsync($"/api/v1/webui/experiment-summaries?ids={reported},{quiet}"))["summaries"]!.AsArray();

        Assert.Equal(2, summaries.Count);
        Assert.Equal(reported, (int)summaries[0]!["id"]!);
        Assert.Equal("loss", (string)summaries[0]!["searcherMetric"]!);
        Assert.True((bool)summaries[0]!["smallerIsBetter"]!);
        Assert.Equal(0.25, (double)summaries[0]!["bestMetric"]!);
        Assert.Equal(0, (int)summaries[0]!["checkpointCount"]!);
        Assert.Null(summaries[1]!["bestMetric"]);
        using var bad = await admin.GetAsync("/api/v1/webui/experiment-summaries?ids=1,x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ids: 'x' is not an experiment id", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
