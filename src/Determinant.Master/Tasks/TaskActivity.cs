using System.Collections.Concurrent;

namespace Determinant.Master.Tasks;

/// <summary>When each task last saw traffic through the proxy: what an idle timeout measures from.</summary>
internal sealed class TaskActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    public void Touch(string taskId) => _last[taskId] = time.GetUtcNow();

    /// <summary>The last proxied request to the task; null when none came since the master started.</summary>
    public DateTimeOffset? LastRequest(string taskId) => _last.TryGetValue(taskId, out var at) ? at : null;

    public void Forget(string taskId) => _last.TryRemove(taskId, out _);
}
