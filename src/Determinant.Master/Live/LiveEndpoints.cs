using Determinant.Master.Domain;
using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Determinant.Master.Controller;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Live;

/// <summary>
/// What the web UI's experiment page reads: sampled learning curves of up to 100 trials (cut in the database, see
/// <see cref="MetricSampler"/>, or from memory once asked for, see <see cref="MetricColumnCache"/>), the metric names, and a server-sent event stream of new reports and trial states.
/// </summary>
internal static class LiveEndpoints
{
    public const int DefaultMaxTrials = 100;
    public const int DefaultMaxDatapoints = 5000;

    /// <summary>How often a live stream compares the experiment's and trials' states with what it last sent.</summary>
    public static readonly TimeSpan StatePollInterval = TimeSpan.FromSeconds(1);


    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<MetricColumnCache>();
        services.AddHostedService<SamplerWarmUp>();
        services.AddSingleton<LiveUpdates>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveUpdates>());
    }

    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/experiments/{id:int}").WithTags("Live");
        group.MapGet("/metrics-stream/trials-sample", TrialsSampleAsync);
        group.MapGet("/metric-names", MetricNamesAsync);
        group.MapGet("/live", StreamAsync);
    }

    private sealed record TrialRow(int Id, Protocol.Api.TrialState State, string HparamsJson, long TotalBatches, double? Best);

    private static async Task<(string Metric, bool SmallerIsBetter, List<TrialRow> Trials)> TrialsAsync(
        int id, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        var configJson = await ConfigJsonAsync(id, db, cancellationToken).ConfigureAwait(false) ?? throw NotFoundException.Experiment(id);
        var searcher = configs.Get(id, configJson).Searcher;
        var trials = await TrialRowsAsync(id, db, cancellationToken).ConfigureAwait(false);
        return (searcher.Metric, searcher.SmallerIsBetter, trials);
    }

    private static Task<string?> ConfigJsonAsync(int id, MasterDbContext db, CancellationToken cancellationToken) =>
        db.Experiments.AsNoTracking().Where(e => e.Id == id && e.State != Protocol.Api.ExperimentState.Deleted)
            .Select(e => e.ConfigJson).FirstOrDefaultAsync(cancellationToken);

    private static Task<List<TrialRow>> TrialRowsAsync(int id, MasterDbContext db, CancellationToken cancellationToken) =>
        db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).OrderBy(t => t.Id)
            .Select(t => new TrialRow(t.Id, t.State, t.HparamsJson, t.TotalBatches,
                db.Metrics.Where(m => m.TrialId == t.Id && m.Group == MetricReportEntity.Validation && m.StepsCompleted == t.BestValidationSteps)
                    .Select(m => m.SearcherMetric).FirstOrDefault()))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Runs the learning-curve endpoint's two queries once for an experiment that cannot exist, so that EF has translated
    /// and compiled them before the first page asks, and formats an answer of two trials (part of <see cref="SamplerWarmUp"/>).
    /// </summary>
    /// <returns>The bytes of the two trials formatted.</returns>
    internal static async Task<int> WarmUpAsync(MasterDbContext db, CancellationToken cancellationToken)
    {
        await ConfigJsonAsync(-1, db, cancellationToken).ConfigureAwait(false);
        await TrialRowsAsync(-1, db, cancellationToken).ConfigureAwait(false);
        var series = new Dictionary<int, (long[], double[])> { [1] = ([10, 20], [0.5, 0.25]), [2] = ([], []) };
        var trials = series.Keys.Select(id => new TrialRow(id, Protocol.Api.TrialState.Active, "{\"lr\":0.1}", 20, null)).ToList();
        return FormatTrials(trials, series).Sum(o => o.WrittenCount);
    }

    /// <summary>
    /// <c>GET /experiments/{id}/metrics-stream/trials-sample</c>: one series per trial (the best <c>maxTrials</c> by
    /// searcher metric, then the newest), each cut to <c>maxDatapoints</c> evenly spaced reports with its first and last.
    /// </summary>
    internal static async Task TrialsSampleAsync(int id, HttpContext context, MasterDbContext db, ExperimentConfigCache configs,
        MetricColumnCache cache, IServiceScopeFactory scopes, CancellationToken cancellationToken, string? metricName = null, string? metricType = null,
        int maxTrials = DefaultMaxTrials, int maxDatapoints = DefaultMaxDatapoints)
    {
        var group = ParseGroup(metricType);
        if (maxTrials is < 1 or > 1000)
            throw new BadRequestException($"maxTrials must be between 1 and 1000, got {maxTrials}");
        if (maxDatapoints is < 2 or > 100_000)
            throw new BadRequestException($"maxDatapoints must be between 2 and 100000, got {maxDatapoints}");
        var (searcherMetric, smallerIsBetter, trials) = await TrialsAsync(id, db, configs, cancellationToken).ConfigureAwait(false);
        var name = string.IsNullOrEmpty(metricName) ? searcherMetric : metricName;
        var sign = smallerIsBetter ? 1 : -1;
        var chosen = trials.OrderBy(t => t.Best is null ? 1 : 0).ThenBy(t => sign * (t.Best ?? 0)).ThenByDescending(t => t.Id)
            .Take(maxTrials).OrderBy(t => t.Id).ToList();
        var ids = chosen.Select(t => t.Id).ToList();
        // From memory when these curves were asked for before; otherwise cut in the database, and read into memory once this
        // answer has been sent.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Response.OnCompleted(() =>
        {
            answered.TrySetResult();
            return Task.CompletedTask;
        });
        var series = cache.TrySample(ids, group, name, maxDatapoints, answered.Task)
            ?? await MetricSampler.SampleAsync(db, ids, group, name, maxDatapoints, cancellationToken, scopes).ConfigureAwait(false);

        var objects = FormatTrials(chosen, series);

        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("metricName", name);
        json.WriteString("metricType", group);
        json.WriteString("searcherMetric", searcherMetric);
        json.WriteBoolean("smallerIsBetter", smallerIsBetter);
        json.WriteNumber("totalTrials", trials.Count);
        json.WriteStartArray("trials");
        foreach (var trial in objects)
        {
            json.WriteRawValue(trial.WrittenSpan, skipInputValidation: true);
            if (json.BytesPending > 64 * 1024)
                await json.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Each trial's object of the answer, formatted on its own and on all cores at once (a page of 100 trials at 1,400
    /// points is 280,000 numbers), to be copied into the answer in order.
    /// </summary>
    private static ArrayBufferWriter<byte>[] FormatTrials(List<TrialRow> chosen, Dictionary<int, (long[] Steps, double[] Values)> series)
    {
        var objects = new ArrayBufferWriter<byte>[chosen.Count];
        Parallel.For(0, chosen.Count, i =>
        {
            var trial = chosen[i];
            var (steps, values) = series[trial.Id];
            var buffer = new ArrayBufferWriter<byte>(64 + trial.HparamsJson.Length + steps.Length * 24);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("trialId", trial.Id);
                writer.WriteString("state", trial.State.ToWire());
                writer.WritePropertyName("hparams");
                writer.WriteRawValue(trial.HparamsJson, skipInputValidation: true);
                WriteSeries(writer, steps, values);
                writer.WriteEndObject();
            }
            objects[i] = buffer;
        });
        return objects;
    }

    /// <summary>A sampled series as the properties <c>steps</c> and <c>values</c> of the object being written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WriteSeries(Utf8JsonWriter json, long[] steps, double[] values)
    {
        json.WriteStartArray("steps");
        foreach (var s in steps)
            json.WriteNumberValue(s);
        json.WriteEndArray();
        // Single precision is plenty for a chart and makes the answer about a third smaller.
        json.WriteStartArray("values");
        foreach (var v in values)
        {
            if (double.IsFinite(v) && Math.Abs(v) < 1e30)
                json.WriteNumberValue((float)v);
            else
                WriteNumberOrNull(json, v);
        }
        json.WriteEndArray();
    }

    /// <summary><c>GET /experiments/{id}/metric-names</c>: the names in each trial's first and last report, per group.</summary>
    internal static async Task<IResult> MetricNamesAsync(int id, MasterDbContext db, ExperimentConfigCache configs, CancellationToken cancellationToken)
    {
        var (searcherMetric, _, trials) = await TrialsAsync(id, db, configs, cancellationToken).ConfigureAwait(false);
        var (training, validation) = await MetricSampler.NamesAsync(db, trials.Select(t => t.Id).ToList(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Json(new Dictionary<string, object>
        {
            ["searcherMetric"] = searcherMetric,
            ["training"] = training.ToList(),
            ["validation"] = validation.ToList(),
        });
    }

    /// <summary>
    /// <c>GET /experiments/{id}/live</c> (text/event-stream). Events: <c>metrics</c> (an array of new reports:
    /// trialId, group, steps, metrics), <c>state</c> (the experiment and its trials, sent when they change), <c>reload</c>
    /// (reports were dropped for a slow reader: fetch the series again).
    /// </summary>
    internal static async Task StreamAsync(int id, HttpContext context, MasterDbContext db, ExperimentConfigCache configs, LiveUpdates live,
        CancellationToken cancellationToken)
    {
        await TrialsAsync(id, db, configs, cancellationToken).ConfigureAwait(false);
        using var subscription = live.Subscribe(id);
        var stream = await EventStream.OpenAsync(context.Response, cancellationToken).ConfigureAwait(false);
        string? lastState = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var state = await StateJsonAsync(id, db, cancellationToken).ConfigureAwait(false);
                if (state != lastState)
                {
                    await stream.WriteAsync("state", state, cancellationToken).ConfigureAwait(false);
                    lastState = state;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(StatePollInterval);
                try
                {
                    while (await subscription.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        await WriteMetricsAsync(stream, subscription, cancellationToken).ConfigureAwait(false);
                        if (subscription.TakeDropped())
                            await stream.WriteAsync("reload", "{}", cancellationToken).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The state poll is due.
                }
                await stream.HeartbeatIfDueAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task WriteMetricsAsync(EventStream stream, LiveSubscription subscription, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            var count = 0;
            while (count < 1000 && subscription.Reader.TryRead(out var report))
            {
                json.WriteStartObject();
                json.WriteNumber("trialId", report.TrialId);
                json.WriteString("group", report.Group);
                json.WriteNumber("steps", report.StepsCompleted);
                json.WriteStartObject("metrics");
                foreach (var (name, value) in MetricSeries.NumericAverages(report.MetricsJson))
                {
                    json.WritePropertyName(name);
                    WriteNumberOrNull(json, value);
                }
                json.WriteEndObject();
                json.WriteEndObject();
                count++;
            }
            json.WriteEndArray();
        }
        await stream.WriteAsync("metrics", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The experiment's state and progress and each trial's state, batches and best searcher metric.</summary>
    private static async Task<string> StateJsonAsync(int id, MasterDbContext db, CancellationToken cancellationToken)
    {
        var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == id)
            .Select(e => new { e.State, e.Progress, e.EndTime }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var trials = await db.Trials.AsNoTracking().Where(t => t.ExperimentId == id).OrderBy(t => t.Id)
            .Select(t => new
            {
                t.Id, t.State, t.TotalBatches, t.Restarts,
                Best = db.Metrics.Where(m => m.TrialId == t.Id && m.Group == MetricReportEntity.Validation && m.StepsCompleted == t.BestValidationSteps)
                    .Select(m => m.SearcherMetric).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("state", experiment?.State.ToWire() ?? "STATE_DELETED");
            json.WriteNumber("progress", experiment?.Progress ?? 0);
            json.WriteStartArray("trials");
            foreach (var t in trials)
            {
                json.WriteStartObject();
                json.WriteNumber("id", t.Id);
                json.WriteString("state", t.State.ToWire());
                json.WriteNumber("totalBatches", t.TotalBatches);
                json.WriteNumber("restarts", t.Restarts);
                json.WritePropertyName("best");
                if (t.Best is { } best)
                    WriteNumberOrNull(json, best);
                else
                    json.WriteNullValue();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }


    private static void WriteNumberOrNull(Utf8JsonWriter json, double value)
    {
        if (double.IsFinite(value))
            json.WriteNumberValue(value);
        else
            json.WriteNullValue();
    }

    private static string ParseGroup(string? metricType) => (metricType ?? "training").ToUpperInvariant() switch
    {
        "TRAINING" or "METRIC_TYPE_TRAINING" => MetricReportEntity.Training,
        "VALIDATION" or "METRIC_TYPE_VALIDATION" => MetricReportEntity.Validation,
        _ => throw new BadRequestException($"metricType '{metricType}' is not one of training, validation"),
    };
}
