using System.Text.Json;
using Determinant.Protocol.Api;

namespace Determinant.Master.Trials;

/// <summary>One stored report as read for <c>GET /api/v1/trials/{id}/metrics</c>: only the columns the answer needs.</summary>
internal sealed record MetricRow(long StepsCompleted, DateTime ReportTime, int RunId, string MetricsJson);

/// <summary>
/// Streams a <see cref="MetricsResponse"/> as rows come from the database: each row's stored metrics JSON is written as
/// it is rather than parsed into nodes and serialized again. The shape is exactly that of <see cref="MetricsResponse"/>.
/// </summary>
internal sealed class TrialMetricsResult(IAsyncEnumerable<MetricRow> rows) : IResult
{
    private const int FlushBytes = 32 * 1024;
    private static readonly JsonEncodedText MetricsName = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText StepsCompletedName = JsonEncodedText.Encode("stepsCompleted");
    private static readonly JsonEncodedText ReportTimeName = JsonEncodedText.Encode("reportTime");
    private static readonly JsonEncodedText TrialRunIdName = JsonEncodedText.Encode("trialRunId");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var cancellationToken = httpContext.RequestAborted;
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var body = httpContext.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteStartArray(MetricsName);
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteNumber(StepsCompletedName, row.StepsCompleted);
            json.WriteString(ReportTimeName, row.ReportTime);
            json.WriteNumber(TrialRunIdName, row.RunId);
            json.WritePropertyName(MetricsName);
            json.WriteRawValue(row.MetricsJson);
            json.WriteEndObject();
            if (json.BytesPending >= FlushBytes)
            {
                json.Flush();
                await body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
