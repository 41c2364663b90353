using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Auth;

/// <summary>
/// One credential per agent, issued by an admin (<c>POST /api/v1/agents/{agentId}/credential</c>) and sent by that
/// agent as <c>x-agent-token</c>. A credential speaks for its agent id alone: it registers only as that id and gets only
/// that agent's launches. The database keeps its SHA-256; this cache of hash → agent id, filled from the table at first
/// use and kept current by <see cref="IssueAsync"/> and <see cref="RevokeAsync"/>, spares every agent request a read.
/// </summary>
internal sealed partial class AgentCredentials(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    /// <summary>The longest agent id, in characters.</summary>
    public const int MaxAgentIdLength = 128;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile ConcurrentDictionary<string, string>? _byHash;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex AgentIdPattern();

    /// <exception cref="BadRequestException">The id breaks the rule; the message names it.</exception>
    public static void RequireValidAgentId(string agentId)
    {
        if (string.IsNullOrEmpty(agentId) || agentId.Length > MaxAgentIdLength || !AgentIdPattern().IsMatch(agentId))
            throw new BadRequestException(
                $"agentId: '{agentId}' must be 1 to {MaxAgentIdLength} characters of letters, digits, '.', '_' and '-', starting with a letter or digit");
    }

    /// <summary>The agent id the presented credential speaks for, or null when it is none.</summary>
    public async ValueTask<string?> FindAgentAsync(string presented, CancellationToken cancellationToken)
    {
        var byHash = _byHash ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        return byHash.GetValueOrDefault(TokenHasher.Hash(presented.Trim()));
    }

    /// <summary>Issues a new credential for <paramref name="agentId"/>, replacing any earlier one (which stops working at once).</summary>
    /// <returns>The credential's text: shown once, never stored.</returns>
    public async Task<string> IssueAsync(string agentId, int issuedBy, CancellationToken cancellationToken)
    {
        RequireValidAgentId(agentId);
        var byHash = _byHash ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        var token = TokenHasher.NewToken();
        var hash = TokenHasher.Hash(token);
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var row = await db.AgentCredentials.FirstOrDefaultAsync(c => c.AgentId == agentId, cancellationToken).ConfigureAwait(false);
            if (row is null)
                db.AgentCredentials.Add(row = new AgentCredentialEntity { AgentId = agentId, TokenHash = hash });
            else
                row.TokenHash = hash;
            row.CreatedAt = time.GetUtcNow().UtcDateTime;
            row.CreatedBy = issuedBy;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        Forget(byHash, agentId);
        byHash[hash] = agentId;
        return token;
    }

    /// <summary>Revokes the agent's credential; returns whether it had one.</summary>
    public async Task<bool> RevokeAsync(string agentId, CancellationToken cancellationToken)
    {
        var byHash = _byHash ?? await LoadAsync(cancellationToken).ConfigureAwait(false);
        int removed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            removed = await db.AgentCredentials.Where(c => c.AgentId == agentId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        Forget(byHash, agentId);
        return removed > 0;
    }

    public void Dispose() => _loading.Dispose();

    private static void Forget(ConcurrentDictionary<string, string> byHash, string agentId)
    {
        foreach (var (hash, id) in byHash)
        {
            if (id == agentId)
                byHash.TryRemove(hash, out _);
        }
    }

    private async Task<ConcurrentDictionary<string, string>> LoadAsync(CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_byHash is { } loaded)
                return loaded;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var rows = await db.AgentCredentials.AsNoTracking().Select(c => new { c.TokenHash, c.AgentId }).ToListAsync(cancellationToken).ConfigureAwait(false);
            return _byHash = new ConcurrentDictionary<string, string>(rows.Select(r => KeyValuePair.Create(r.TokenHash, r.AgentId)), StringComparer.Ordinal);
        }
        finally
        {
            _loading.Release();
        }
    }
}
