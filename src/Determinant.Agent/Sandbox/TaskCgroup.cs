namespace Determinant.Agent.Sandbox;

/// <summary>
/// The cgroup of one task process (in every controller the agent uses): the process enters it before it execs bubblewrap,
/// and when the task ends every process still in it is killed, so nothing the task started (a <c>setsid</c> daemon, a
/// double fork) outlives it.
/// </summary>
internal abstract class TaskCgroup(string name)
{
    /// <summary>How long <see cref="KillAllAsync"/> waits for the killed processes to be gone.</summary>
    protected static readonly TimeSpan EmptyDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The cgroup's name below the agent's parent cgroup.</summary>
    public string Name { get; } = name;

    /// <summary>The <c>cgroup.procs</c> files a process writes its pid into to join this cgroup (one per v1 controller).</summary>
    public abstract IReadOnlyList<string> ProcsFiles { get; }

    /// <summary>The pids in the cgroup now.</summary>
    public abstract IReadOnlyList<int> Pids();

    /// <summary>Whether the kernel's OOM killer killed a process of this cgroup.</summary>
    public abstract bool OomKilled();

    /// <summary>SIGKILLs every process in the cgroup (frozen first where the controller allows, so none forks meanwhile) and waits until it is empty.</summary>
    public abstract Task KillAllAsync(CancellationToken cancellationToken);

    /// <summary>Removes the cgroup's directories; the cgroup must be empty.</summary>
    public abstract void Remove();

    /// <summary>Kills what is left, then removes the cgroup; errors of a cgroup that is already gone are ignored.</summary>
    public async Task DestroyAsync(CancellationToken cancellationToken)
    {
        await KillAllAsync(cancellationToken).ConfigureAwait(false);
        Remove();
    }

    /// <summary>Polls until the cgroup has no process left, or the deadline passed.</summary>
    protected async Task WaitEmptyAsync(CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + EmptyDeadline;
        while (Pids().Count > 0 && DateTime.UtcNow < until)
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
    }
}
