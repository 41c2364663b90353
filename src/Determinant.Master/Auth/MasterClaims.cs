using System.Globalization;
using System.Security.Claims;
using Determinant.Master.Errors;

namespace Determinant.Master.Auth;

/// <summary>What an authenticated caller is: a user (bearer token), a task's allocation (allocation token) or an agent (its credential).</summary>
internal static class MasterClaims
{
    public const string Scheme = "DetToken";
    public const string Kind = "det_kind";
    public const string UserKind = "user";
    public const string AllocationKind = "allocation";
    public const string AgentKind = "agent";
    public const string UserId = "det_user_id";
    public const string Admin = "det_admin";
    public const string TokenHash = "det_token_hash";
    public const string AllocationId = "det_allocation_id";
    public const string TaskId = "det_task_id";
    public const string TrialId = "det_trial_id";
    public const string AgentId = "det_agent_id";
    public const string UserPolicy = "User";
    public const string TrialCallerPolicy = "TrialCaller";
    public const string AgentPolicy = "Agent";
    public const string TaskLogPolicy = "TaskLog";

    public static bool IsUser(this ClaimsPrincipal principal) => principal.HasClaim(Kind, UserKind);

    public static bool IsAllocation(this ClaimsPrincipal principal) => principal.HasClaim(Kind, AllocationKind);

    public static bool IsAgent(this ClaimsPrincipal principal) => principal.HasClaim(Kind, AgentKind);

    /// <summary>The agent an agent credential speaks for; it may act only as this agent.</summary>
    public static void RequireAgent(this ClaimsPrincipal principal, string agentId)
    {
        var own = principal.FindFirstValue(AgentId);
        if (own != agentId)
            throw new ForbiddenException($"this credential is agent '{own}''s; it may not act as agent '{agentId}'");
    }

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.HasClaim(Admin, "true");

    public static int GetUserId(this ClaimsPrincipal principal) =>
        int.Parse(principal.FindFirstValue(UserId) ?? throw new UnauthorizedException("not logged in"), CultureInfo.InvariantCulture);

    public static int? GetAllocationTrialId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(TrialId) is { } id ? int.Parse(id, CultureInfo.InvariantCulture) : null;

    /// <summary>Users may change only what they own (an experiment, a task) unless they are admins.</summary>
    public static void RequireOwnerOrAdmin(this ClaimsPrincipal principal, int ownerId, string what = "experiment")
    {
        if (!principal.IsAdmin() && principal.GetUserId() != ownerId)
            throw new ForbiddenException($"only the {what}'s owner or an admin may do this");
    }
}
