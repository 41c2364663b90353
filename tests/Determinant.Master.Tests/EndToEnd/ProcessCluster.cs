using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// A master process and an agent process on a temp data dir, like <c>det deploy local cluster-up</c> starts them; the master
/// can be SIGKILLed and started again on the same data dir and port while the agent and its trials keep running.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly string _masterFolder;
    private readonly string _harness;
    private readonly string _dataDir;
    private readonly int _port;
    private MasterProcess? _master;
    private string _killedMasterOutput = "";
    private AgentProcess? _agent;

    private ProcessCluster(string masterFolder, string harness, string dataDir, int port)
    {
        _masterFolder = masterFolder;
        _harness = harness;
        _dataDir = dataDir;
        _port = port;
    }

    public MasterProcess Master => _master!;

    public AgentProcess Agent => _agent!;

    /// <summary>What the master and agent processes wrote, for failure messages.</summary>
    public string Output => $"{_killedMasterOutput}master:\n{_master?.Output}\nagent:\n{_agent?.Output}";

    /// <summary>Starts the master, then an agent with <paramref name="slots"/> CPU slots, and waits for it to register.</summary>
    public static async Task<ProcessCluster> StartAsync(string agentFolder, string harness, string masterFolder, string agentId, int slots)
    {
        var cluster = new ProcessCluster(masterFolder, harness, Directory.CreateTempSubdirectory("det-cluster-").FullName, MasterProcess.FreePort());
        try
        {
            cluster._master = await MasterProcess.StartAsync(masterFolder, cluster._dataDir, cluster._port, harness);
            cluster._agent = await AgentProcess.StartAsync(cluster._master.Address, agentFolder, agentId, slots);
            using var admin = await cluster._master.LoginAsync();
            await AgentProtocolTests.PollUntilAsync(async () => (await admin.GetJsonAsync("/api/v1/agents"))["agents"]!.AsArray().Count == 1,
                "the agent to register; " + cluster.Output, 60);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the master process alone (the agent and trial processes keep running), then starts a new one.</summary>
    public async Task KillAndRestartMasterAsync()
    {
        var killed = _master!;
        _master = null;
        await killed.KillAsync();
        _killedMasterOutput = $"killed master:\n{killed.Output}\n";
        await killed.DisposeAsync();
        _master = await MasterProcess.StartAsync(_masterFolder, _dataDir, _port, _harness);
    }

    /// <summary>Polls until the experiment is COMPLETED; fails at once on another terminal state and at the deadline.</summary>
    public async Task WaitForCompletedAsync(HttpClient admin, int experimentId, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (await StateOrFailAsync(admin, experimentId) is var state && state != "STATE_COMPLETED")
        {
            if (DateTime.UtcNow > deadline || state is "STATE_ERROR" or "STATE_CANCELED")
                Assert.Fail($"experiment {experimentId} is {state}, not STATE_COMPLETED; trials {(await admin.TrialsAsync(experimentId)).ToJsonString()}\n{Output}");
            await Task.Delay(100);
        }
    }

    private async Task<string> StateOrFailAsync(HttpClient admin, int experimentId)
    {
        try
        {
            return await admin.ExperimentStateAsync(experimentId);
        }
        catch (HttpRequestException e)
        {
            Assert.Fail($"the master stopped answering ({e.Message}); exited: {_master?.HasExited}\n{Output}");
            throw;
        }
    }

    /// <summary>Every trial of the experiment with its training and validation reports.</summary>
    public static async Task<IReadOnlyList<TrialResult>> ResultsAsync(HttpClient admin, int experimentId)
    {
        var results = new List<TrialResult>();
        foreach (var trial in await admin.TrialsAsync(experimentId))
        {
            var id = (int)trial!["id"]!;
            results.Add(new TrialResult(id, trial["hparams"]!.ToJsonString(), (string)trial["state"]!, (long)trial["totalBatchesProcessed"]!,
                (int)trial["restarts"]!, await MetricsAsync(admin, id, "training"), await MetricsAsync(admin, id, "validation")));
        }
        return results;
    }

    /// <summary>The trial's log lines that tell of a failure (harness errors, failed Core API calls).</summary>
    public static async Task<string> ErrorLinesAsync(HttpClient admin, int trialId)
    {
        var logs = await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs")).Content.ReadAsStringAsync();
        return string.Join('\n', logs.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)
            || l.Contains("failed", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<IReadOnlyList<(long Steps, string Metrics)>> MetricsAsync(HttpClient admin, int trialId, string group) =>
        [.. (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group={group}"))["metrics"]!.AsArray()
            .Select(m => ((long)m!["stepsCompleted"]!, m["metrics"]!["avgMetrics"]!.ToJsonString()))];

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
            await _agent.DisposeAsync();
        if (_master is not null)
            await _master.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp dir is left behind.
        }
    }
}

/// <summary>A finished trial as the API shows it: its hyperparameters, final length and every stored report (steps, avgMetrics JSON).</summary>
public sealed record TrialResult(
    int Id, string Hparams, string State, long TotalBatches, int Restarts,
    IReadOnlyList<(long Steps, string Metrics)> Training, IReadOnlyList<(long Steps, string Metrics)> Validation);
