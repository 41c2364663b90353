using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Determinant.Bench;

/// <summary>
/// The master-rss baseline: a minimal ASP.NET Core app (the default web builder, one <c>/health</c> route on Kestrel),
/// run as this binary with <c>--serve-health PORT</c> until it is killed.
/// </summary>
internal static class HealthServer
{
    public const string Switch = "--serve-health";

    public static int Run(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls($"http://127.0.0.1:{args[1]}");
        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        app.Run();
        return 0;
    }
}
