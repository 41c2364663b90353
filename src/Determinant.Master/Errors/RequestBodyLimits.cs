namespace Determinant.Master.Errors;

/// <summary>
/// Answers a body over its route's <see cref="RequestBodyLimit"/> with a 413 problem naming the limit: one declared
/// too large before any of it is read, and one sent without a length where Kestrel cut it off at the same limit.
/// </summary>
internal static class RequestBodyLimits
{
    public static void Use(WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength is { } length && context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>() is { } limit
            && length > limit.Bytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            // Nothing of the body was read and the rest is not wanted: the connection closes after the answer.
            context.Response.Headers.Connection = "close";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = context }).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    });

    /// <summary>
    /// Fills in every 413 problem of a limited route, whoever writes it: this middleware, or the status-code page after
    /// minimal API binding met Kestrel's cut-off.
    /// </summary>
    public static void Customize(ProblemDetailsContext problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var context = problem.HttpContext;
        if (problem.ProblemDetails.Status != StatusCodes.Status413PayloadTooLarge
            || context.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>() is not { } limit)
            return;
        var sent = context.Request.ContentLength is { } bytes ? $"is {bytes} bytes, " : "is ";
        problem.ProblemDetails.Title = "Request body too large";
        problem.ProblemDetails.Detail = $"the request body of {context.Request.Method} {context.Request.Path} {sent}over the limit of "
            + $"{limit.Bytes} bytes for this route ({limit.Setting})";
        problem.ProblemDetails.Extensions["limitBytes"] = limit.Bytes;
        problem.ProblemDetails.Extensions["limit"] = limit.Setting;
    }
}
