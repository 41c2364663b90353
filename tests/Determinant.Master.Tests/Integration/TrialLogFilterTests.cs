using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Determinant.Master.Tests.Integration;

/// <summary><c>GET /api/v1/trials/{id}/logs</c> with the filters of <c>det trial logs</c>, applied by the master.</summary>
public sealed class TrialLogFilterTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Logs_KeepOnlyMatchingLines_WhenFiltersAreGiven(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var trial = (await admin.TrialsAsync(await admin.CreateExperimentAsync()))[0]!;
        var (trialId, taskId) = ((int)trial["id"]!, (string)trial["taskId"]!);
        var start = new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
        object Line(string text, int rank, string level, string stdtype, string source, int second) => new
        {
            taskId, allocationId = taskId + ".1", agentId = rank == 0 ? "agent-a" : "agent-b", containerId = $"c{rank}", rankId = rank,
            timestamp = start.AddSeconds(second), level, stdtype, source, log = text + "\n",
        };
        (await admin.PostAsJsonAsync("/api/v1/task/logs", new
        {
            logs = new[]
            {
                Line("r0 info", 0, "LOG_LEVEL_INFO", "stdout", "task", 0),
                Line("r1 info", 1, "LOG_LEVEL_INFO", "stdout", "task", 1),
                Line("r1 error", 1, "LOG_LEVEL_ERROR", "stderr", "task", 2),
                Line("agent note", 0, "LOG_LEVEL_WARNING", "stderr", "agent", 3),
            },
        })).EnsureSuccessStatusCode();

        Assert.Equal(["r1 info", "r1 error"], await TextsAsync(admin, trialId, "rankIds=1"));
        Assert.Equal(["r1 error", "agent note"], await TextsAsync(admin, trialId, "stdtypes=stderr"));
        Assert.Equal(["r1 error"], await TextsAsync(admin, trialId, "levels=ERROR&levels=CRITICAL"));
        Assert.Equal(["agent note"], await TextsAsync(admin, trialId, "sources=agent"));
        Assert.Equal(["r0 info", "agent note"], await TextsAsync(admin, trialId, "agentIds=agent-a"));
        Assert.Equal(["r1 info"], await TextsAsync(admin, trialId, "containerIds=c1&stdtypes=stdout"));
        Assert.Equal(["r1 info", "r1 error"],
            await TextsAsync(admin, trialId, "timestampAfter=2026-05-01T12:00:00Z&timestampBefore=2026-05-01T12:00:03Z"));
        Assert.Equal(4, (await TextsAsync(admin, trialId, "")).Count);

        using var badRank = await admin.GetAsync($"/api/v1/trials/{trialId}/logs?rankIds=one");
        Assert.Equal(HttpStatusCode.BadRequest, badRank.StatusCode);
        Assert.Contains("rankIds: 'one' is not an integer", await badRank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var badTime = await admin.GetAsync($"/api/v1/trials/{trialId}/logs?timestampAfter=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Contains("timestampAfter", await badTime.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<List<string>> TextsAsync(HttpClient admin, int trialId, string query)
    {
        var text = await (await admin.GetAsync($"/api/v1/trials/{trialId}/logs?{query}")).Content.ReadAsStringAsync();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ((string)JsonNode.Parse(l)!["result"]!["log"]!).TrimEnd('\n'))];
    }
}
