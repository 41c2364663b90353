using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http.Headers;
using System.Text.Json;
using Determinant.Config;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Commands;

/// <summary>
/// Ends tasks that sat idle for their <c>idle_timeout</c>. Idle means: no proxied request, and for a notebook no busy
/// kernel and no open kernel connection (with <c>notebook_idle_type: kernels_or_terminals</c>, also no terminal), as
/// its Jupyter reports them. The task's logs get a line that says why it was killed.
/// </summary>
internal sealed partial class IdleWatcher(
    IServiceScopeFactory scopes, AllocationService allocations, TaskActivity activity, TimeProvider time, ILogger<IdleWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastBusy = new(StringComparer.Ordinal);
    private readonly HttpClient _jupyter = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, e);
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var running = await (
            from t in db.Tasks.AsNoTracking()
            where t.Type != TaskType.Trial && t.State == TaskState.Active
            join a in db.Allocations.AsNoTracking() on t.Id equals a.TaskId
            where a.State != AllocationState.Terminated && !a.KillRequested
            select new { t.Id, t.Type, t.ConfigJson, t.ServiceToken, AllocationId = a.Id, a.StartTime, a.ProxyAddress, a.Ready })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var task in running)
        {
            var config = TaskConfigJson.Read(task.ConfigJson ?? "{}");
            if (config.IdleTimeout is not { } timeout)
                continue;
            if (task.Type == TaskType.Notebook && task.Ready && task.ProxyAddress is not null
                && await NotebookBusyAsync(task.ProxyAddress, task.Id, task.ServiceToken, config.NotebookIdleType, cancellationToken).ConfigureAwait(false))
                _lastBusy[task.Id] = now;
            var since = new[] { new DateTimeOffset(task.StartTime, TimeSpan.Zero), activity.LastRequest(task.Id), _lastBusy.GetValueOrDefault(task.Id) }
                .Max()!.Value;
            if (now - since < timeout)
                continue;
            var why = $"idle for {timeout}: no proxied request{(task.Type == TaskType.Notebook ? ", no busy kernel and no open connection" : "")} "
                + $"since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; killing it (idle_timeout)";
            db.TaskLogs.Add(new TaskLogEntity
            {
                TaskId = task.Id, AllocationId = task.AllocationId, Timestamp = now.UtcDateTime, Level = "INFO", StdType = "stdout", Source = "master", Log = why,
            });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            LogIdle(logger, task.Id, why);
            _lastBusy.TryRemove(task.Id, out _);
            activity.Forget(task.Id);
            await allocations.RequestKillAsync(task.AllocationId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the notebook's Jupyter for its kernels (and terminals): a busy or connected kernel keeps it alive.</summary>
    private async Task<bool> NotebookBusyAsync(string address, string taskId, string? token, string idleType, CancellationToken cancellationToken)
    {
        if (idleType == "activity")
            return false;
        try
        {
            using var kernels = await GetAsync($"{address}/proxy/{taskId}/api/kernels", token, cancellationToken).ConfigureAwait(false);
            foreach (var kernel in kernels.RootElement.EnumerateArray())
            {
                var busy = kernel.TryGetProperty("execution_state", out var state) && state.GetString() == "busy";
                var connected = kernel.TryGetProperty("connections", out var connections) && connections.TryGetInt32(out var n) && n > 0;
                if (connected || (busy && idleType != "kernel_connections"))
                    return true;
            }
            if (idleType == "kernels_or_terminals")
            {
                using var terminals = await GetAsync($"{address}/proxy/{taskId}/api/terminals", token, cancellationToken).ConfigureAwait(false);
                if (terminals.RootElement.ValueKind == JsonValueKind.Array && terminals.RootElement.GetArrayLength() > 0)
                    return true;
            }
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A Jupyter that does not answer is not working for anyone either; the proxy's traffic still counts.
            return false;
        }
    }

    private async Task<JsonDocument> GetAsync(string url, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await _jupyter.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _jupyter.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId}: {Why}")]
    private static partial void LogIdle(ILogger logger, string taskId, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The idle check failed; it runs again in a second")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
