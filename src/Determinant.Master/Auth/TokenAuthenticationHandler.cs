using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Determinant.Master.Agents;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Agent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Auth;

/// <summary>
/// Accepts a user's bearer token (<c>Authorization: Bearer …</c>) or a task's allocation token
/// (<c>x-allocation-token</c>, also <c>Grpc-Metadata-x-allocation-token</c>), each looked up by its hash, or an agent's
/// credential (<c>x-agent-token</c>, <see cref="AgentCredentials"/>), which names the one agent it speaks for; without any of those, the web UI's session cookie. Live allocation tokens are cached
/// (<see cref="AllocationTokenCache"/>): a task's metric reports then authenticate without a database read.
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    TimeProvider time, AgentCredentials agentCredentials, AllocationTokenCache allocations)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[AgentHeaders.Token].FirstOrDefault() is { Length: > 0 } presented)
        {
            return await agentCredentials.FindAgentAsync(presented, Context.RequestAborted).ConfigureAwait(false) is { } agentId
                ? Success([new(MasterClaims.Kind, MasterClaims.AgentKind), new(MasterClaims.AgentId, agentId)])
                : AuthenticateResult.Fail("invalid agent credential");
        }
        var allocationToken = Request.Headers["x-allocation-token"].FirstOrDefault()
            ?? Request.Headers["Grpc-Metadata-x-allocation-token"].FirstOrDefault();
        if (!string.IsNullOrEmpty(allocationToken))
            return await AllocationAsync(TokenHasher.Hash(allocationToken)).ConfigureAwait(false);
        var header = Request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return await WebSessionAsync().ConfigureAwait(false);
        return await UserAsync(TokenHasher.Hash(header["Bearer ".Length..].Trim())).ConfigureAwait(false);
    }

    /// <summary>
    /// The web UI's session: the same user token, in an HttpOnly SameSite=Strict cookie. A state-changing request must
    /// also carry the web UI's header, which a cross-site form cannot send.
    /// </summary>
    private async Task<AuthenticateResult> WebSessionAsync()
    {
        if (Request.Cookies[WebSessionCookie.Name] is not { Length: > 0 } token)
            return AuthenticateResult.NoResult();
        // A task's service behind /proxy/ keeps its own cross-site checks (Jupyter's _xsrf); the cookie is SameSite=Strict.
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !Request.Headers.ContainsKey(WebSessionCookie.RequestHeader)
            && !Request.Path.StartsWithSegments("/proxy", StringComparison.Ordinal))
            return AuthenticateResult.Fail($"a request authenticated by the session cookie must send the {WebSessionCookie.RequestHeader} header");
        return await UserAsync(TokenHasher.Hash(token)).ConfigureAwait(false);
    }

    private async Task<AuthenticateResult> UserAsync(string hash)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var db = Context.RequestServices.GetRequiredService<MasterDbContext>();
        var user = await db.AuthTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && !t.Revoked && t.ExpiresAt > now && t.User!.Active)
            .Select(t => t.User).FirstOrDefaultAsync(Context.RequestAborted).ConfigureAwait(false);
        if (user is null)
            return AuthenticateResult.Fail("invalid or expired token");
        Claim[] claims =
        [
            new(MasterClaims.Kind, MasterClaims.UserKind),
            new(MasterClaims.UserId, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.Username),
            new(MasterClaims.Admin, user.Admin ? "true" : "false"),
            new(MasterClaims.TokenHash, hash),
        ];
        return Success(claims);
    }

    private async Task<AuthenticateResult> AllocationAsync(string hash)
    {
        if (!allocations.TryGet(hash, out var allocation))
        {
            var epoch = allocations.Epoch;
            var db = Context.RequestServices.GetRequiredService<MasterDbContext>();
            var row = await db.Allocations.AsNoTracking()
                .Where(a => a.TokenHash == hash && a.State != AllocationState.Terminated)
                .Select(a => new CachedAllocation(a.Id, a.TaskId, db.Trials.Where(t => t.TaskId == a.TaskId).Select(t => (int?)t.Id).FirstOrDefault()))
                .FirstOrDefaultAsync(Context.RequestAborted).ConfigureAwait(false);
            if (row == default)
                return AuthenticateResult.Fail("invalid allocation token");
            allocation = row;
            allocations.Add(hash, allocation, epoch);
        }
        List<Claim> claims =
        [
            new(MasterClaims.Kind, MasterClaims.AllocationKind),
            new(MasterClaims.AllocationId, allocation.AllocationId),
            new(MasterClaims.TaskId, allocation.TaskId),
        ];
        if (allocation.TrialId is { } trialId)
            claims.Add(new(MasterClaims.TrialId, trialId.ToString(CultureInfo.InvariantCulture)));
        return Success([.. claims]);
    }

    private AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", "authentication required: log in and send the token as 'Authorization: Bearer <token>'");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "this token may not use this route");

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
    }
}
