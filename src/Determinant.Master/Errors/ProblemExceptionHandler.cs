using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;

namespace Determinant.Master.Errors;

/// <summary>The one seam where domain exceptions become RFC 7807 problem documents.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            MasterException m => new ProblemDetails { Status = m.StatusCode, Title = m.Title, Detail = m.Message },
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = b.Message },
            _ => null,
        };
        if (problem is null)
            return false;
        if (exception is InvalidConfigException invalid)
            problem.Extensions["errors"] = invalid.Errors;
        else if (exception is ModelDefinitionCompileException compile)
            problem.Extensions["errors"] = compile.Errors;
        else if (exception is TooManyRequestsException tooMany)
            httpContext.Response.Headers.RetryAfter = TooManyRequestsException.Seconds(tooMany.RetryAfter);
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception })
            .ConfigureAwait(false);
    }
}
