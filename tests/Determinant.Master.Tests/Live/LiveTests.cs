using System.Net;
using System.Text.Json.Nodes;
using Determinant.Master.Tests.Integration;

namespace Determinant.Master.Tests.Live;

/// <summary>The experiment page's data on the real master: sampled learning curves and the live event stream.</summary>
public sealed class LiveTests
{
    private static async Task<(HttpClient Admin, int ExperimentId, TrialActor Trial)> OneTrialAsync(MasterHost host)
    {
        var admin = await host.LoginAsync();
        var id = await admin.CreateExperimentAsync();
        var trial = await TrialActor.StartAsync(host, (int)(await admin.TrialsAsync(id))[0]!["id"]!);
        return (admin, id, trial);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TrialsSample_CutsEachSeriesToMaxDatapoints_KeepingFirstAndLast_AndFollowsNewReports(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var (admin, id, trial) = await OneTrialAsync(host);
        for (var i = 1; i <= 50; i++)
            (await trial.ReportAsync("training", (ulong)(i * 10), new JsonObject { ["loss"] = 1.0 / i, ["other"] = "NaN" })).EnsureSuccessStatusCode();

        var sample = await admin.GetJsonAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?metricName=loss&metricType=training&maxDatapoints=10");

        Assert.Equal("loss", (string)sample["metricName"]!);
        var series = Assert.Single(sample["trials"]!.AsArray())!;
        Assert.Equal(trial.TrialId, (int)series["trialId"]!);
        Assert.Equal(0.1, (double)series["hparams"]!["lr"]!);
        var steps = series["steps"]!.AsArray().Select(s => (long)s!).ToList();
        var values = series["values"]!.AsArray().Select(v => (double)v!).ToList();
        Assert.Equal(10, steps.Count);
        Assert.Equal(10, steps[0]);
        Assert.Equal(500, steps[^1]);
        Assert.True(steps.SequenceEqual(steps.Order()), "steps in order");
        // Values travel in single precision.
        Assert.All(steps.Zip(values), p => Assert.Equal(10.0 / p.First, p.Second, 6));

        // A report after the first request is in the samples that follow (whether cut in the database or from memory,
        // where it lands once the metric-report signal has run: a moment after the report was answered at most).
        (await trial.ReportAsync("training", 510, new JsonObject { ["loss"] = 0.001 })).EnsureSuccessStatusCode();
        JsonNode last;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
            last = (await admin.GetJsonAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?metricName=loss&metricType=training"))["trials"]![0]!;
        while (last["steps"]!.AsArray().Count < 51 && DateTime.UtcNow < deadline);
        Assert.Equal(51, last["steps"]!.AsArray().Count);
        Assert.Equal(510, (long)last["steps"]![50]!);
        Assert.Equal(0.001, (double)last["values"]![50]!);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task TrialsSample_DefaultsToTheSearcherMetricOfValidations_AndNamesTheMetrics(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var (admin, id, trial) = await OneTrialAsync(host);
        (await trial.ReportAsync("training", 100, new JsonObject { ["loss"] = 0.9, ["acc"] = 0.5 })).EnsureSuccessStatusCode();
        (await trial.ReportAsync("validation", 100, new JsonObject { ["loss"] = 0.7 })).EnsureSuccessStatusCode();

        var sample = await admin.GetJsonAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?metricType=validation");
        Assert.Equal("loss", (string)sample["metricName"]!);
        Assert.Equal(0.7, (double)sample["trials"]![0]!["values"]![0]!);
        var names = await admin.GetJsonAsync($"/api/v1/experiments/{id}/metric-names");
        Assert.Equal(["acc", "loss"], names["training"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["loss"], names["validation"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task TrialsSample_RefusesBadParameters_NamingThem()
    {
        await using var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var (admin, id, _) = await OneTrialAsync(host);
        foreach (var (query, words) in new[]
        {
            ("metricType=profiling", "metricType 'profiling' is not one of training, validation"),
            ("maxDatapoints=1", "maxDatapoints must be between 2 and 100000"),
            ("maxTrials=0", "maxTrials must be between 1 and 1000"),
        })
        {
            using var response = await admin.GetAsync($"/api/v1/experiments/{id}/metrics-stream/trials-sample?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(words, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/experiments/999/metrics-stream/trials-sample")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/v1/experiments/{id}/live")).StatusCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task LiveStream_PushesTheTrialsState_ThenEachTrainingAndValidationReport(string database)
    {
        TestDatabases.SkipUnavailable(database);
        await using var host = await MasterHost.StartFreshAsync(database);
        var (admin, id, trial) = await OneTrialAsync(host);
        using var response = await admin.GetAsync($"/api/v1/experiments/{id}/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var state = await NextEventAsync(reader, "state", deadline.Token);
        Assert.Equal(trial.TrialId, (int)state["trials"]![0]!["id"]!);
        Assert.Equal("STATE_ACTIVE", (string)state["state"]!);

        (await trial.ReportAsync("training", 100, new JsonObject { ["loss"] = 0.5 })).EnsureSuccessStatusCode();
        var training = (await NextEventAsync(reader, "metrics", deadline.Token)).AsArray()[0]!;
        Assert.Equal(trial.TrialId, (int)training["trialId"]!);
        Assert.Equal("training", (string)training["group"]!);
        Assert.Equal(100, (long)training["steps"]!);
        Assert.Equal(0.5, (double)training["metrics"]!["loss"]!);

        (await trial.ReportAsync("validation", 100, new JsonObject { ["loss"] = 0.25 })).EnsureSuccessStatusCode();
        var validation = (await NextEventAsync(reader, "metrics", deadline.Token)).AsArray()[0]!;
        Assert.Equal("validation", (string)validation["group"]!);
        Assert.Equal(0.25, (double)validation["metrics"]!["loss"]!);
        // The trial's best validation changed, so a new state follows.
        var after = await NextEventAsync(reader, "state", deadline.Token);
        Assert.Equal(0.25, (double)after["trials"]![0]!["best"]!);
    }

    /// <summary>Reads server-sent events until one named <paramref name="name"/> and returns its data.</summary>
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
