using Determinant.Master.Auth;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.CoreApi;

/// <summary>The Core API's hot path: batched metric ingestion and the allocation-token cache with its invalidation.</summary>
internal static class CoreApiServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<MetricBatchWriter>();
        services.AddSingleton<MetricReportSignal>();
        services.AddSingleton<MetricIngestQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricIngestQueue>());
        services.AddSingleton<AllocationTokenCache>();
        services.AddSingleton<AllocationExitInterceptor>();
        services.ConfigureDbContext<SqliteMasterDbContext>((sp, b) => b.AddInterceptors(sp.GetRequiredService<AllocationExitInterceptor>()));
        services.ConfigureDbContext<PostgresMasterDbContext>((sp, b) => b.AddInterceptors(sp.GetRequiredService<AllocationExitInterceptor>()));
    }
}
