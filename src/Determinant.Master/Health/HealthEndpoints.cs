using Determinant.Master.Configuration;
using System.Reflection;
using Determinant.Master.Data;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Health;

/// <summary><c>/health</c> (anonymous) and <c>GET /api/v1/master</c>.</summary>
internal static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Map(IEndpointRouteBuilder root, IEndpointRouteBuilder api)
    {
        root.MapGet("/health", HealthAsync).AllowAnonymous();
        api.MapGet("/master", InfoAsync);
    }

    internal static async Task<IResult> HealthAsync(MasterDbContext db, CancellationToken cancellationToken) =>
        await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
            ? TypedResults.Ok(new Dictionary<string, string> { ["status"] = "ok" })
            : TypedResults.Problem("database unreachable", statusCode: StatusCodes.Status503ServiceUnavailable);

    internal static async Task<MasterInfo> InfoAsync(MasterDbContext db, IOptions<MasterOptions> options, CancellationToken cancellationToken)
    {
        var cluster = await db.Cluster.AsNoTracking().SingleAsync(cancellationToken).ConfigureAwait(false);
        return new MasterInfo(Version, cluster.ClusterId, options.Value.ClusterName);
    }
}
