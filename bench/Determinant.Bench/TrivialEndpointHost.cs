using Determinant.Protocol.CoreApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Determinant.Bench;

/// <summary>
/// The HTTP floor for the metric-ingest baseline: Kestrel on loopback in this process, the same route, the same request
/// body bound with the same JSON context, and the same empty answer, with no auth and no database.
/// </summary>
internal static class TrivialEndpointHost
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CoreApiJsonContext.Default));
        var app = builder.Build();
        app.MapPost("/api/v1/trials/{id:int}/metrics", (int id, ReportTrialMetricsRequest request) =>
            request.Metrics.TrialId == id ? Results.Ok(new Dictionary<string, string>()) : Results.BadRequest());
        app.MapPost("/api/v1/trials/{id:int}/metrics/batch", (int id, ReportTrialMetricsBatchRequest request) =>
            request.Metrics.All(m => m.TrialId == id) ? Results.Ok(new Dictionary<string, string>()) : Results.BadRequest());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }
}
