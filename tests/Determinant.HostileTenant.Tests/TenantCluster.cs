using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.EndToEnd;
using Determinant.Master.Tests.Integration;

namespace Determinant.HostileTenant.Tests;

/// <summary>
/// One real cluster for the whole hostile-tenant suite: a master process, an agent process with two slots, the victim
/// <c>alice</c> with a command running all along, and the attacker <c>mallory</c>, an ordinary user. Every attack ends
/// with <see cref="AssertUnharmedAsync"/>.
/// </summary>
public sealed class TenantCluster : IAsyncLifetime
{
    public const string AliceAgentId = "tenant-agent";

    /// <summary>The master's resident memory stays under this, whatever the attacker sends (it reached 4–20 GB before).</summary>
    public const long MaxMasterResidentBytes = 1L << 30;

    private ProcessCluster? _cluster;

    public ProcessCluster Cluster => _cluster!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Alice { get; private set; } = null!;

    public HttpClient Mallory { get; private set; } = null!;

    public int MalloryId { get; private set; }

    /// <summary>Alice's long-running command: it must stay RUNNING through every attack.</summary>
    public string AliceCommandId { get; private set; } = "";

    public string AliceAllocationId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var (agentFolder, harness) = await ClusterBinaries.GetAsync();
        var masterFolder = await ClusterBinaries.GetMasterAsync();
        _cluster = await ProcessCluster.StartAsync(agentFolder, harness, masterFolder, AliceAgentId, slots: 2);
        Admin = await Cluster.Master.LoginAsync();
        await Admin.PostOkAsync("/api/v1/users", new { username = "alice", password = "alice-password" });
        MalloryId = (int)(await Admin.PostOkAsync("/api/v1/users", new { username = "mallory", password = "mallory-password" }))["user"]!["id"]!;
        Alice = await LoginAsync("alice", "alice-password");
        Mallory = await LoginAsync("mallory", "mallory-password");
        AliceCommandId = (string)(await Alice.PostOkAsync("/api/v1/commands", new { entrypoint = new[] { "sleep", "3600" } }))["command"]!["id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await CommandStateAsync(AliceCommandId) != "STATE_RUNNING")
        {
            Assert.True(DateTime.UtcNow < deadline, "alice's command did not start within 60 s; " + Cluster.Output);
            await Task.Delay(100);
        }
        AliceAllocationId = AllocationOf(AliceCommandId);
    }

    public async Task<HttpClient> LoginAsync(string username, string password)
    {
        using var anonymous = Anonymous();
        var token = (string)(await anonymous.PostOkAsync("/api/v1/auth/login", new { username, password }))["token"]!;
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A task's allocation id, read from the master's database as only its owner's tasks learn it.</summary>
    public string AllocationOf(string taskId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Cluster.Master.DataDir, "determinant.db")};Mode=ReadOnly");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT Id FROM allocations WHERE TaskId = $task";
        query.Parameters.AddWithValue("$task", taskId);
        return (string)query.ExecuteScalar()!;
    }

    public HttpClient Anonymous() => new() { BaseAddress = Cluster.Master.Address, Timeout = TimeSpan.FromSeconds(120) };

    public async Task<string> CommandStateAsync(string id) => (string)(await Admin.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["state"]!;

    /// <summary>The master's resident set size, from <c>/proc/PID/status</c>.</summary>
    public long MasterResidentBytes()
    {
        var line = File.ReadLines($"/proc/{Cluster.Master.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// After an attack: the master answers <c>/health</c> with its memory bounded, mallory owns no experiment, task or
    /// extra user (nothing half-created), and alice's command still runs.
    /// </summary>
    public async Task AssertUnharmedAsync()
    {
        Assert.False(Cluster.Master.HasExited, "the master exited:\n" + Cluster.Output);
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        var resident = MasterResidentBytes();
        Assert.True(resident < MaxMasterResidentBytes, $"the master holds {resident >> 20} MiB, over the bound of {MaxMasterResidentBytes >> 20} MiB");
        var experiments = (await Admin.GetJsonAsync("/api/v1/experiments"))["experiments"]!.AsArray();
        Assert.DoesNotContain(experiments, e => (int?)e!["userId"] == MalloryId);
        var users = (await Admin.GetJsonAsync("/api/v1/users"))["users"]!.AsArray().Select(u => (string)u!["username"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["admin", "alice", "determined", "mallory"], users);
        Assert.Equal("STATE_RUNNING", await CommandStateAsync(AliceCommandId));
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        Alice?.Dispose();
        Mallory?.Dispose();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class TenantClusterGroup : ICollectionFixture<TenantCluster>
{
    public const string Name = "tenant cluster";
}
