using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Protocol.Agent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// <c>/proxy/&lt;task id&gt;/</c> in front of a real HTTP and WebSocket service on loopback, standing in for a task's
/// Jupyter: the fake agent reports the service's port as the task's.
/// </summary>
public sealed class ProxyTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TheProxy_ForwardsHttpAndWebSockets_ToTheOwner_WithThePrefixKept_AndEndsWithTheTask(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var service = await EchoService.StartAsync();
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        await admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-pw-1", admin = false });
        await admin.PostOkAsync("/api/v1/users", new { username = "bob", password = "bob-pw-12", admin = false });
        var alice = await host.LoginAsync("alice", "alice-pw-1");
        var bob = await host.LoginAsync("bob", "bob-pw-12");
        using var agent = new FakeAgent(host, "node", 1, hostname: "127.0.0.1");
        await agent.RegisterAsync();

        var id = (string)(await alice.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "serve" } }))["command"]!["id"]!;
        var launch = (await agent.NextCommandAsync(TimeSpan.FromSeconds(30))).Launch!;
        var path = $"/proxy/{id}/hello?x=1";

        // Not serving yet: 503 and when to try again.
        var early = await alice.GetAsync(path);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, early.StatusCode);
        Assert.True(early.Headers.RetryAfter is not null, "503 without Retry-After");

        (await agent.SendRunningAsync(launch.AllocationId, new Dictionary<string, int> { ["http"] = service.Port })).EnsureSuccessStatusCode();
        var ready = await RetryUntilAsync(() => alice.GetAsync(path), r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var echoed = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal($"/proxy/{id}/hello", (string)echoed["path"]!);
        Assert.Equal("?x=1", (string)echoed["query"]!);
        Assert.Equal("127.0.0.1", (string)echoed["x-forwarded-for"]!);
        Assert.Equal("127.0.0.1", (string)echoed["x-real-ip"]!);
        Assert.Equal("http", (string)echoed["x-forwarded-proto"]!);
        Assert.Equal("", (string)echoed["authorization"]!);
        Assert.Equal("STATE_RUNNING", (string)(await alice.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["state"]!);
        Assert.Equal($"/proxy/{id}/", (string)(await alice.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["serviceAddress"]!);

        // Admins get through; another user does not; nobody without a token.
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync(path)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = host.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);

        // A WebSocket through the proxy: one message there and back.
        using (var socket = new ClientWebSocket())
        {
            socket.Options.SetRequestHeader("Authorization", alice.DefaultRequestHeaders.Authorization!.ToString());
            var ws = new UriBuilder(host.Client.BaseAddress!) { Scheme = "ws", Path = $"/proxy/{id}/ws" }.Uri;
            await socket.ConnectAsync(ws, CancellationToken.None);
            await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var buffer = new byte[64];
            var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Equal("echo: ping", Encoding.UTF8.GetString(buffer, 0, received.Count));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        (await agent.SendEventAsync(launch.AllocationId, AllocationStates.Exited, 0)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync(path)).StatusCode);
        var unknown = await alice.GetAsync($"/proxy/{Guid.NewGuid()}/");
        Assert.True(unknown.StatusCode == HttpStatusCode.NotFound, $"{unknown.StatusCode} {await unknown.Content.ReadAsStringAsync()} {unknown.Headers}");
    }

    private static async Task<HttpResponseMessage> RetryUntilAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var response = await send();
            if (done(response) || DateTime.UtcNow > deadline)
                return response;
            // The proxy's own answer says when to come back.
            await Task.Delay(response.Headers.RetryAfter?.Delta is { } after && after < TimeSpan.FromSeconds(1) ? after : TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Kestrel on 127.0.0.1: any path echoes the request's path and forwarding headers as JSON; <c>…/ws</c> echoes WebSocket messages.</summary>
    private sealed class EchoService : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EchoService(WebApplication app, int port) => (_app, Port) = (app, port);

        public int Port { get; }

        public static async Task<EchoService> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.UseWebSockets();
            app.Run(async context =>
            {
                if (context.WebSockets.IsWebSocketRequest)
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    var buffer = new byte[64];
                    var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                    await socket.SendAsync(Encoding.UTF8.GetBytes("echo: " + Encoding.UTF8.GetString(buffer, 0, received.Count)),
                        WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    if ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType == WebSocketMessageType.Close)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                var headers = context.Request.Headers;
                await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    ["path"] = context.Request.Path.Value ?? "",
                    ["query"] = context.Request.QueryString.Value ?? "",
                    ["x-forwarded-for"] = headers["X-Forwarded-For"].ToString(),
                    ["x-real-ip"] = headers["X-Real-IP"].ToString(),
                    ["x-forwarded-proto"] = headers["X-Forwarded-Proto"].ToString(),
                    ["authorization"] = headers.Authorization.ToString(),
                });
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EchoService(app, new Uri(address).Port);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
