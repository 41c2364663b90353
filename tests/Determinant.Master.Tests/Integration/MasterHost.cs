using Determinant.Master.Auth;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;
using Determinant.Master.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Determinant.Master.Tests.Integration;

/// <summary>The real master on Kestrel at 127.0.0.1:&lt;free port&gt;, on a SQLite file in a temp dir or a fresh PostgreSQL database.</summary>
public sealed class MasterHost : IAsyncDisposable
{
    public const string Password = "test-password-1";

    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _agentCredentials = new(StringComparer.Ordinal);
    private TestDatabase? _owned;

    private MasterHost(WebApplication app, string dataDir, string? dbUrl, Uri address)
    {
        _app = app;
        DataDir = dataDir;
        DbUrl = dbUrl;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataDir { get; }

    /// <summary>The PostgreSQL connection string, or null on SQLite.</summary>
    public string? DbUrl { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    internal ExperimentController Controller => _app.Services.GetRequiredService<ExperimentController>();

    internal AgentResourceManager Scheduler => _app.Services.GetRequiredService<AgentResourceManager>();

    internal AllocationService Allocations => _app.Services.GetRequiredService<AllocationService>();

    /// <summary>The trials waiting for resources, in id order.</summary>
    public async Task<IReadOnlyList<int>> WaitingTrialsAsync()
    {
        var tasks = Scheduler.WaitingTasks;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        return await db.Trials.Where(t => tasks.Contains(t.TaskId)).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
    }

    /// <summary>The task of a trial.</summary>
    public async Task<string> TaskOfTrialAsync(int trialId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        return await db.Trials.Where(t => t.Id == trialId).Select(t => t.TaskId).SingleAsync();
    }

    internal AgentRegistry Agents => _app.Services.GetRequiredService<AgentRegistry>();

    /// <summary>
    /// The credential of <paramref name="agentId"/>, issued as an admin would (<c>det agent credential create</c>) on
    /// first use and then reused, so that every client of one agent id in a test holds the same valid one.
    /// </summary>
    public string IssueAgentCredential(string agentId) =>
        _agentCredentials.GetOrAdd(agentId, id => Services.GetRequiredService<AgentCredentials>().IssueAsync(id, 1, CancellationToken.None).GetAwaiter().GetResult());

    /// <summary>A client that speaks the agent protocol as <paramref name="agentId"/>, with a credential issued for it.</summary>
    public HttpClient AgentClient(string agentId) => AgentClientWithCredential(IssueAgentCredential(agentId));

    /// <summary>A client that sends <paramref name="credential"/> as its agent credential.</summary>
    public HttpClient AgentClientWithCredential(string credential)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = Client.Timeout };
        client.DefaultRequestHeaders.Add("x-agent-token", credential);
        return client;
    }

    /// <summary>Starts a master; pass the same <paramref name="dataDir"/> and <paramref name="dbUrl"/> to restart on the same database.</summary>
    public static Task<MasterHost> StartAsync(string dataDir, string? dbUrl = null, params string[] extraArgs) =>
        StartAsync(dataDir, dbUrl, null, extraArgs);

    /// <summary>Starts a master whose services <paramref name="configureServices"/> may replace (a fake clock).</summary>
    public static async Task<MasterHost> StartAsync(string dataDir, string? dbUrl, Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        List<string> args = ["--data-dir", dataDir, "--port", "0", "--listen-address", "127.0.0.1", "--initial-password", Password, .. extraArgs];
        if (dbUrl is not null)
            args.AddRange(["--db", "postgres", "--db-url", dbUrl]);
        var app = MasterApp.Build([.. args], configureServices);
        await MasterApp.InitializeAsync(app, CancellationToken.None);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MasterHost(app, dataDir, dbUrl, new Uri(address));
    }

    /// <summary>A master on a new database that it drops when disposed.</summary>
    public static Task<MasterHost> StartFreshAsync(string database, params string[] extraArgs) => StartFreshAsync(database, null, extraArgs);

    public static async Task<MasterHost> StartFreshAsync(string database, Action<IServiceCollection>? configureServices, params string[] extraArgs)
    {
        var owned = await TestDatabase.CreateAsync(database);
        try
        {
            var host = await StartAsync(owned.DataDir, owned.DbUrl, configureServices, extraArgs);
            host._owned = owned;
            return host;
        }
        catch
        {
            await owned.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client logged in as <paramref name="username"/>.</summary>
    public async Task<HttpClient> LoginAsync(string username = "admin", string password = Password)
    {
        var response = await Client.PostAsJsonAsync("/api/v1/auth/login", new { username, password });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return WithBearer((string)body["token"]!);
    }

    public HttpClient WithBearer(string token)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = Client.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient WithAllocationToken(string token)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = Client.Timeout };
        client.DefaultRequestHeaders.Add("x-allocation-token", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_owned is not null)
            await _owned.DisposeAsync();
    }
}
