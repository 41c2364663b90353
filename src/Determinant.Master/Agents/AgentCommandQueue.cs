using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>
/// One agent's commands in <c>seq</c> order. A poll with <c>after</c> acknowledges (drops) everything up to it and gets
/// the rest; a poll that finds nothing waits on <see cref="Take"/>'s task, which completes as soon as a command is queued.
/// </summary>
internal sealed class AgentCommandQueue
{
    private readonly Lock _gate = new();
    private readonly List<AgentCommand> _pending = [];
    private long _lastSeq;
    private long _acknowledged;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The highest <c>seq</c> the agent acknowledged; where its first poll after a registration starts.</summary>
    public long Acknowledged
    {
        get
        {
            lock (_gate)
                return _acknowledged;
        }
    }

    public long Enqueue(LaunchCommand? launch = null, KillCommand? kill = null)
    {
        TaskCompletionSource changed;
        long seq;
        lock (_gate)
        {
            seq = ++_lastSeq;
            _pending.Add(new AgentCommand(seq, launch, kill));
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
        return seq;
    }

    /// <summary>Acknowledges up to <paramref name="after"/> and returns what follows, with a task that completes on the next enqueue.</summary>
    public (IReadOnlyList<AgentCommand> Commands, Task Changed) Take(long after)
    {
        lock (_gate)
        {
            var acknowledged = Math.Min(after, _lastSeq);
            if (acknowledged > _acknowledged)
            {
                _acknowledged = acknowledged;
                _pending.RemoveAll(c => c.Seq <= acknowledged);
            }
            return ([.. _pending.Where(c => c.Seq > after)], _changed.Task);
        }
    }

    /// <summary>Wakes every waiting poll (the agent was removed); they answer with what they have.</summary>
    public void Close()
    {
        lock (_gate)
            _changed.TrySetResult();
    }
}
