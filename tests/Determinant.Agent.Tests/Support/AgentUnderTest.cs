using System.Globalization;
using Determinant.Agent.Hosting;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Hosting;

namespace Determinant.Agent.Tests.Support;

/// <summary>The real agent host, pointed at a <see cref="FakeMaster"/>, with a temporary work directory and quick retries.</summary>
internal sealed class AgentUnderTest : IAsyncDisposable
{
    private readonly IHost _host;

    private AgentUnderTest(IHost host, string agentId, string workDir)
    {
        _host = host;
        AgentId = agentId;
        WorkDir = workDir;
    }

    public string AgentId { get; }

    public string WorkDir { get; }

    public static async Task<AgentUnderTest> StartAsync(FakeMaster master, IDictionary<string, string?>? overrides = null)
    {
        var agentId = "agent-" + Guid.NewGuid().ToString("N")[..8];
        var workDir = Directory.CreateTempSubdirectory("det-agent-test-").FullName;
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["master"] = master.Address.ToString(),
            ["agent_token"] = FakeMaster.Token,
            ["agent_id"] = agentId,
            ["slots"] = "2",
            ["work_dir"] = workDir,
            ["retry_min_ms"] = "20",
            ["retry_max_ms"] = "100",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        var host = AgentHost.Build([], settings);
        await host.StartAsync();
        return new AgentUnderTest(host, agentId, workDir);
    }

    public static LaunchCommand Shell(string allocationId, string script, IReadOnlyDictionary<string, string>? env = null,
        ModelDefinitionSource? modelDefinition = null, IReadOnlyList<int>? slots = null) =>
        new(allocationId, "1." + allocationId, "TRIAL", slots ?? [0], ["/bin/sh", "-c", script], env ?? new Dictionary<string, string>(),
            modelDefinition, RankId: 0);

    public static string NewAllocationId() =>
        "1." + Guid.NewGuid().ToString("N")[..12] + "." + 1.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(WorkDir, recursive: true);
    }
}
