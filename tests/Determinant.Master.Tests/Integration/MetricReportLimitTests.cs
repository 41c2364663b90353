using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Determinant.Master.CoreApi;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// Metric reports: numbers, with NaN and ±∞ as the documented strings kept as sent (docs/core-api.md); names, their
/// length, the report's size and its steps are bounded, and a refusal names the field and the limit and stores nothing.
/// </summary>
public sealed class MetricReportLimitTests
{
    private static async Task<(MasterHost Host, HttpClient Admin, TrialActor Trial)> StartTrialAsync()
    {
        var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        var admin = await host.LoginAsync();
        var experimentId = await admin.CreateExperimentAsync();
        var trialId = (int)(await admin.TrialsAsync(experimentId))[0]!["id"]!;
        return (host, admin, await TrialActor.StartAsync(host, trialId));
    }

    private static async Task<JsonArray> StoredAsync(HttpClient admin, int trialId, string group) =>
        (await admin.GetJsonAsync($"/api/v1/trials/{trialId}/metrics?group={group}"))["metrics"]!.AsArray();

    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {text}");
        return (string)JsonNode.Parse(text)!["detail"]!;
    }

    [Fact]
    public async Task Validation_KeepsANaNSearcherMetric_AndTheTrialCompletesWithIt()
    {
        var (host, admin, trial) = await StartTrialAsync();
        await using var _ = host;

        (await trial.ReportAsync("validation", 500, new JsonObject { ["loss"] = "NaN", ["accuracy"] = "-Infinity", ["top5"] = 0.5 })).EnsureSuccessStatusCode();
        using var complete = new StringContent("""{"op": {"length": "500"}, "searcherMetric": "NaN"}""", Encoding.UTF8, "application/json");
        (await trial.Client.PostAsync($"/api/v1/trials/{trial.TrialId}/searcher/completed_operation", complete)).EnsureSuccessStatusCode();
        Assert.True(await trial.PollPreemptionAsync(30));
        await trial.AckAsync();
        await trial.ExitAsync();

        var stored = Assert.Single(await StoredAsync(admin, trial.TrialId, "validation"))!["metrics"]!["avgMetrics"]!;
        Assert.Equal("""{"loss":"NaN","accuracy":"-Infinity","top5":0.5}""", stored.ToJsonString());
        var final = (await admin.GetJsonAsync($"/api/v1/trials/{trial.TrialId}"))["trial"]!;
        Assert.Equal("STATE_COMPLETED", (string)final["state"]!);
        Assert.Equal(500, (long)final["latestValidation"]!["totalBatches"]!);
        // A NaN ranks as no metric: the experiment has no best searcher metric to show.
        Assert.Equal(HttpStatusCode.NotFound,
            (await admin.GetAsync($"/api/v1/experiments/{(int)final["experimentId"]!}/searcher/best_searcher_validation_metric")).StatusCode);
    }

    [Fact]
    public async Task Validation_ANaNNeverDisplacesAFiniteBest_ButAFiniteDisplacesANaN()
    {
        var (host, admin, trial) = await StartTrialAsync();
        await using var _ = host;

        (await trial.ReportAsync("validation", 100, new JsonObject { ["loss"] = "NaN" })).EnsureSuccessStatusCode();
        (await trial.ReportAsync("validation", 200, new JsonObject { ["loss"] = 0.7 })).EnsureSuccessStatusCode();
        (await trial.ReportAsync("validation", 300, new JsonObject { ["loss"] = "NaN" })).EnsureSuccessStatusCode();

        var best = (await admin.GetJsonAsync($"/api/v1/trials/{trial.TrialId}"))["trial"]!["bestValidation"]!;
        Assert.Equal(200, (long)best["totalBatches"]!);
        Assert.Equal(0.7, (double)best["searcherMetric"]!);
    }

    [Theory]
    [InlineData("""{"loss": "text"}""", "metrics.metrics.avgMetrics.loss", "the string \"text\"")]
    [InlineData("""{"loss": null}""", "metrics.metrics.avgMetrics.loss", "null")]
    [InlineData("""{"loss": [1]}""", "metrics.metrics.avgMetrics.loss", "a list")]
    [InlineData("""{"loss": 1e999}""", "metrics.metrics.avgMetrics.loss", "beyond the range")]
    [InlineData("""{"": 1}""", "metrics.metrics.avgMetrics", "1 to 256 characters")]
    public async Task Training_RefusesAValueOrNameOutsideTheRules_NamingTheField(string averages, string path, string words)
    {
        var (host, admin, trial) = await StartTrialAsync();
        await using var _ = host;

        var detail = await RefusedAsync(await trial.ReportAsync("training", 10, JsonNode.Parse(averages)!.AsObject()));

        Assert.StartsWith(path + ":", detail, StringComparison.Ordinal);
        Assert.Contains(words, detail, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(admin, trial.TrialId, "training"));
    }

    [Fact]
    public async Task Training_RefusesTooManyNames_TooLongAName_AndTooBigAReport_NamingEachLimit()
    {
        var (host, admin, trial) = await StartTrialAsync();
        await using var _ = host;
        JsonObject Names(int count, int length) => new(Enumerable.Range(0, count).Select(i => KeyValuePair.Create(i.ToString("D" + length, null), (JsonNode?)1.0)));

        var atLimit = await trial.ReportAsync("training", 10, Names(MetricReportLimits.MaxNames, MetricReportLimits.MaxNameLength));
        var tooMany = await RefusedAsync(await trial.ReportAsync("training", 20, Names(MetricReportLimits.MaxNames + 1, 8)));
        var tooLong = await RefusedAsync(await trial.ReportAsync("training", 30, Names(1, MetricReportLimits.MaxNameLength + 1)));
        // 999 batches of 1000 names of 6 characters: each well within the name rules, together over 4 MiB.
        var batches = Enumerable.Range(0, 999).Select(_ => Names(MetricReportLimits.MaxNames, 6)).ToArray();
        var tooBig = await RefusedAsync(await trial.Client.PostAsJsonAsync($"/api/v1/trials/{trial.TrialId}/metrics", new
        {
            group = "training",
            metrics = new { trialId = trial.TrialId, trialRunId = trial.RunId, stepsCompleted = "40", reportTime = DateTimeOffset.UnixEpoch, metrics = new { avgMetrics = new { loss = 1 }, batchMetrics = batches } },
        }));

        atLimit.EnsureSuccessStatusCode();
        Assert.Contains($"{MetricReportLimits.MaxNames + 1} metric names are over the limit of {MetricReportLimits.MaxNames}", tooMany, StringComparison.Ordinal);
        Assert.Contains($"1 to {MetricReportLimits.MaxNameLength} characters", tooLong, StringComparison.Ordinal);
        Assert.StartsWith("metrics.metrics:", tooBig, StringComparison.Ordinal);
        Assert.Contains($"over the limit of {MetricReportLimits.MaxReportBytes} bytes per report", tooBig, StringComparison.Ordinal);
        Assert.Equal([10L], (await StoredAsync(admin, trial.TrialId, "training")).Select(m => (long)m!["stepsCompleted"]!));
    }

    [Fact]
    public async Task Reports_RefuseStepsBeyondTheLimit_InASingleReportAndInABatch()
    {
        var (host, admin, trial) = await StartTrialAsync();
        await using var _ = host;
        const ulong Beyond = MetricReportLimits.MaxSteps + 1;

        object Report(ulong steps) => new
        {
            trialId = trial.TrialId, trialRunId = trial.RunId, stepsCompleted = steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            reportTime = DateTimeOffset.UnixEpoch, metrics = new { avgMetrics = new { loss = 1 } },
        };

        var single = await RefusedAsync(await trial.Client.PostAsJsonAsync($"/api/v1/trials/{trial.TrialId}/metrics", new { group = "validation", metrics = Report(ulong.MaxValue) }));
        var batch = await RefusedAsync(await trial.Client.PostAsJsonAsync($"/api/v1/trials/{trial.TrialId}/metrics/batch",
            new { group = "training", metrics = new[] { Report(10), Report(Beyond) } }));

        Assert.StartsWith($"metrics.stepsCompleted: {ulong.MaxValue} is over the limit of {MetricReportLimits.MaxSteps} steps", single, StringComparison.Ordinal);
        Assert.StartsWith($"metrics[1].stepsCompleted: {Beyond} is over the limit", batch, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync(admin, trial.TrialId, "training"));
        Assert.Empty(await StoredAsync(admin, trial.TrialId, "validation"));
        Assert.Equal("ok", (string)(await host.Client.GetJsonAsync("/health"))["status"]!);
    }
}
