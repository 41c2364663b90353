using System.Net;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.WebUi;

/// <summary>The experiment tables' event stream and the tasks and queue of the dashboard and cluster page.</summary>
public sealed class PushAndTasksTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task ExperimentsLive_SendsRowsAndOverview_ThenOnlyWhatChanged(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var paused = await admin.CreateExperimentAsync(activate: false);
        var active = await admin.CreateExperimentAsync();
        using var response = await admin.GetAsync($"/api/v1/experiments/live?ids={paused},{active}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var overview = await NextEventAsync(reader, "overview", deadline.Token);
        Assert.Equal(active, (int)overview["latestId"]!);
        Assert.Equal(2, (int)overview["total"]!);
        Assert.Equal(1, (int)overview["active"]!);
        var rows = (await NextEventAsync(reader, "rows", deadline.Token)).AsArray();
        Assert.Equal([paused, active], rows.Select(r => (int)r!["id"]!));
        Assert.Equal("STATE_PAUSED", (string)rows[0]!["state"]!);
        Assert.Equal(1, (int)rows[1]!["numTrials"]!);

        // A validation of the active experiment's trial: its row comes again with the best metric, the other does not.
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(active))[0]!["id"]!);
        (await trial.ReportAsync("validation", 100, new JsonObject { ["loss"] = 0.25 })).EnsureSuccessStatusCode();
        var changed = (await NextEventAsync(reader, "rows", deadline.Token)).AsArray();
        var row = Assert.Single(changed)!;
        Assert.Equal(active, (int)row["id"]!);
        Assert.Equal(0.25, (double)row["bestMetric"]!);

        // A state change of the other, then a new experiment: the overview moves.
        await admin.PostOkAsync($"/api/v1/experiments/{paused}/activate");
        var activated = Assert.Single((await NextEventAsync(reader, "rows", deadline.Token)).AsArray())!;
        Assert.Equal(paused, (int)activated["id"]!);
        Assert.Equal("STATE_ACTIVE", (string)activated["state"]!);
        var third = await admin.CreateExperimentAsync(activate: false);
        JsonNode next;
        do
            next = await NextEventAsync(reader, "overview", deadline.Token);
        while ((int)next["latestId"]! != third);
        Assert.Equal(3, (int)next["total"]!);
    }

    [Fact]
    public async Task ExperimentsLive_RefusesBadIdsAndAnonymousReaders()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        using var bad = await admin.GetAsync("/api/v1/experiments/live?ids=1,x");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("ids: 'x' is not an experiment id", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/v1/experiments/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync("/api/v1/webui/tasks")).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Tasks_ListAllocations_AndQueueWaitingTrialsByPriority(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var admin = await host.LoginAsync();
        var normal = await admin.CreateExperimentAsync();
        var urgent = await admin.CreateExperimentAsync(Api.SingleConfig + "\nresources:\n  priority: 1\n  slots_per_trial: 2\n");
        var running = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(running))[0]!["id"]!);

        var view = await admin.GetJsonAsync("/api/v1/webui/tasks");
        var task = Assert.Single(view["tasks"]!.AsArray())!;
        Assert.Equal(trial.AllocationId, (string)task["allocationId"]!);
        Assert.Equal(trial.TrialId, (int)task["trialId"]!);
        Assert.Equal(running, (int)task["experimentId"]!);
        Assert.Equal("single-test", (string)task["experimentName"]!);
        var queue = view["queue"]!.AsArray();
        Assert.Equal([urgent, normal], queue.Select(q => (int)q!["experimentId"]!));
        Assert.Equal([1, 2], queue.Select(q => (int)q!["position"]!));
        Assert.Equal([1, 42], queue.Select(q => (int)q!["priority"]!));
        Assert.Equal([2, 1], queue.Select(q => (int)q!["slots"]!));
    }

    private static async Task<JsonNode> NextEventAsync(StreamReader reader, string name, CancellationToken cancellationToken)
    {
        string? current = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
                current = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == name)
                return JsonNode.Parse(line["data: ".Length..])!;
        }
        throw new InvalidOperationException($"the stream ended before a '{name}' event");
    }
}
