using System.Reflection;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Determinant.Master.WebUi;

/// <summary>
/// Serves the built single-page app (webui/, built by build/WebUi.targets) at <c>/det/</c>; <c>/</c> redirects there.
/// A path under <c>/det/</c> that names no file gets <c>index.html</c>, so client-side routes survive a reload. The
/// files are public (they hold no data); every API call they make needs a login.
/// </summary>
internal static class WebUiFiles
{
    public const string Prefix = "/det";

    /// <summary>Scripts and styles only from the master itself; no inline script, no framing.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The folder with <c>index.html</c>: next to the master's assembly, else the source checkout's <c>webui/dist</c>.</summary>
    public static string? Locate()
    {
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, "webui");
        if (File.Exists(Path.Combine(besideAssembly, "index.html")))
            return besideAssembly;
        var root = typeof(WebUiFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        var dist = root is null ? null : Path.Combine(root, "webui", "dist");
        return dist is not null && File.Exists(Path.Combine(dist, "index.html")) ? dist : null;
    }

    public static void Map(WebApplication app)
    {
        var folder = Locate();
        app.MapGet("/", () => TypedResults.Redirect(Prefix + "/")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Prefix + "/{**path}", (string? path, HttpContext context) => Serve(folder, path ?? "", context))
            .AllowAnonymous().ExcludeFromDescription();
    }

    internal static IResult Serve(string? folder, string path, HttpContext context)
    {
        // The catch-all also matches "/det" itself; the app's base is "/det/".
        if (context.Request.Path.Value is Prefix)
            return TypedResults.Redirect(Prefix + "/" + context.Request.QueryString);
        var headers = context.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "same-origin";
        if (folder is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Web UI not built",
                detail: "the web UI was not built: build the master with Node.js and npm on PATH (build/WebUi.targets runs npm in webui/)");
        var full = Path.GetFullPath(Path.Combine(folder, path));
        var inside = full.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        if (inside && path.Length > 0 && File.Exists(full))
        {
            // Vite names assets by content hash: they never change under the same name.
            headers[HeaderNames.CacheControl] = path.StartsWith("assets/", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";
            var type = ContentTypes.TryGetContentType(full, out var known) ? known : "application/octet-stream";
            return TypedResults.PhysicalFile(full, type, enableRangeProcessing: false);
        }
        if (path.StartsWith("assets/", StringComparison.Ordinal) || Path.HasExtension(path))
            return TypedResults.NotFound();
        headers[HeaderNames.CacheControl] = "no-cache";
        return TypedResults.PhysicalFile(Path.Combine(folder, "index.html"), "text/html; charset=utf-8");
    }
}
