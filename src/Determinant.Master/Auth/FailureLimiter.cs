using System.Threading.RateLimiting;

namespace Determinant.Master.Auth;

/// <summary>
/// At most <see cref="Limit"/> failed attempts per key within a window that opens at the key's first failure and lasts
/// <see cref="Window"/>; once they are used up every attempt is refused, with <c>RetryAfter</c>, until it ends.
/// </summary>
/// <remarks>
/// Only failures count, but an attempt holds a permit while it runs: otherwise a burst of concurrent guesses would all
/// pass before the first of them failed. A success hands its permit back; a failure keeps it until the window ends.
/// Attempts beyond the free permits wait (at most <c>queueLimit</c> of them) for running ones, so that a burst of good
/// logins queues for moments rather than failing. The clock is the injected <see cref="TimeProvider"/>; nothing here
/// runs a timer.
/// </remarks>
internal sealed partial class FailureLimiter
{
    private const int SweepFloor = 1024;
    private static readonly TimeSpan QueueFullRetry = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _queueLimit;
    private readonly string _what;
    private int _sweepAt = SweepFloor;

    /// <param name="limit">Failures per key and window.</param>
    /// <param name="window">How long a key's window lasts from its first failure.</param>
    /// <param name="queueLimit">Attempts that may wait for a permit per key.</param>
    /// <param name="time">The clock.</param>
    /// <param name="what">Names the key in refusals: "this account", "this address".</param>
    public FailureLimiter(int limit, TimeSpan window, int queueLimit, TimeProvider time, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        Limit = limit;
        Window = window;
        _queueLimit = queueLimit;
        _time = time;
        _what = what;
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>Keys with failures in their window or attempts running (tests read it to see that state is dropped).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_lock)
                return _keys.Count;
        }
    }

    /// <summary>The limiter of one key, for ASP.NET Core's rate-limiting middleware to partition requests by.</summary>
    public RateLimiter For(string key) => new KeyLimiter(this, key);

    /// <summary>A permit for an attempt of <paramref name="key"/> now, or a refused lease (which may say when to retry).</summary>
    public RateLimitLease AttemptAcquire(string key)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            return TryGrant(key, StateOf(key, now), now) ?? new Lease(this, key, acquired: false);
        }
    }

    /// <summary>A permit for an attempt of <paramref name="key"/>, waiting for running attempts when all permits are held.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var state = StateOf(key, now);
            if (TryGrant(key, state, now) is { } lease)
                return ValueTask.FromResult<RateLimitLease>(lease);
            if (state.Waiters.Count >= _queueLimit)
                return ValueTask.FromResult<RateLimitLease>(Refused(key, QueueFullRetry, $"too many logins at once for {_what}"));
            waiter = new Waiter(key);
            waiter.Node = state.Waiters.AddLast(waiter);
        }
        if (cancellationToken.CanBeCanceled)
            waiter.Cancellation = cancellationToken.Register(() => Cancel(waiter, cancellationToken));
        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    /// <summary>Counts a failed attempt of <paramref name="key"/>; the first one opens the key's window.</summary>
    public void RecordFailure(string key)
    {
        List<(Waiter, RateLimitLease)> wake;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var state = StateOf(key, now);
            if (state.Failures == 0)
                state.WindowEnd = now + Window;
            state.Failures++;
            wake = Pump(key, state, now);
        }
        Complete(wake);
    }

    /// <summary>Forgets the failures of <paramref name="key"/> (the account's owner logged in).</summary>
    public void Reset(string key)
    {
        List<(Waiter, RateLimitLease)> wake;
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var state))
                return;
            state.Failures = 0;
            wake = Pump(key, state, _time.GetUtcNow());
            DropIfIdle(key, state);
        }
        Complete(wake);
    }

    private KeyState StateOf(string key, DateTimeOffset now)
    {
        if (!_keys.TryGetValue(key, out var state))
        {
            Sweep(now);
            state = new KeyState();
            _keys.Add(key, state);
        }
        if (state.Failures > 0 && now >= state.WindowEnd)
            state.Failures = 0;
        state.LastUsed = now;
        return state;
    }

    /// <summary>A granted lease, a refusal once the failures are used up, or null when the attempt has to wait.</summary>
    private Lease? TryGrant(string key, KeyState state, DateTimeOffset now)
    {
        if (state.Failures >= Limit)
        {
            var retry = state.WindowEnd - now;
            return Refused(key, retry, $"too many failed logins for {_what} (at most {Limit} in {Window.TotalSeconds:0} s)");
        }
        if (state.Failures + state.Running >= Limit)
            return null;
        state.Running++;
        return new Lease(this, key, acquired: true);
    }

    private Lease Refused(string key, TimeSpan retryAfter, string reason) =>
        new(this, key, acquired: false) { RetryAfter = retryAfter, Reason = reason };

    private void Release(string key)
    {
        List<(Waiter, RateLimitLease)> wake;
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var state))
                return;
            state.Running--;
            var now = _time.GetUtcNow();
            state.LastUsed = now;
            wake = Pump(key, state, now);
            DropIfIdle(key, state);
        }
        Complete(wake);
    }

    /// <summary>Hands free permits (or refusals, once the failures are used up) to waiters in arrival order.</summary>
    private List<(Waiter, RateLimitLease)> Pump(string key, KeyState state, DateTimeOffset now)
    {
        var wake = new List<(Waiter, RateLimitLease)>();
        if (state.Failures > 0 && now >= state.WindowEnd)
            state.Failures = 0;
        while (state.Waiters.First is { } first && TryGrant(key, state, now) is { } lease)
        {
            state.Waiters.RemoveFirst();
            first.Value.Node = null;
            wake.Add((first.Value, lease));
        }
        return wake;
    }

    /// <summary>Completes waiters outside the lock (a canceled one gives its permit back).</summary>
    private static void Complete(List<(Waiter Waiter, RateLimitLease Lease)> wake)
    {
        foreach (var (waiter, lease) in wake)
        {
            waiter.Cancellation.Dispose();
            if (!waiter.Completion.TrySetResult(lease))
                lease.Dispose();
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node is not { } node)
                return;
            node.List!.Remove(node);
            waiter.Node = null;
            if (_keys.TryGetValue(waiter.Key, out var state))
                DropIfIdle(waiter.Key, state);
        }
        waiter.Completion.TrySetCanceled(cancellationToken);
    }

    private void DropIfIdle(string key, KeyState state)
    {
        if (state.Running == 0 && state.Waiters.Count == 0 && state.Failures == 0)
            _keys.Remove(key);
    }

    /// <summary>Drops keys whose window has ended, once the table has doubled since the last sweep.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (_keys.Count < _sweepAt)
            return;
        foreach (var (key, state) in _keys)
        {
            if (state.Running == 0 && state.Waiters.Count == 0 && (state.Failures == 0 || now >= state.WindowEnd))
                _keys.Remove(key);
        }
        _sweepAt = Math.Max(SweepFloor, _keys.Count * 2);
    }

    private TimeSpan? IdleDuration(string key)
    {
        lock (_lock)
        {
            if (!_keys.TryGetValue(key, out var state))
                return TimeSpan.MaxValue;
            return state.Running > 0 || state.Waiters.Count > 0 ? TimeSpan.Zero : _time.GetUtcNow() - state.LastUsed;
        }
    }

    private RateLimiterStatistics Statistics(string key)
    {
        lock (_lock)
        {
            var (failures, running, queued) = _keys.TryGetValue(key, out var s) ? (s.Failures, s.Running, s.Waiters.Count) : (0, 0, 0);
            return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, Limit - failures - running), CurrentQueuedCount = queued };
        }
    }

    private sealed class KeyState
    {
        public int Failures { get; set; }
        public int Running { get; set; }
        public DateTimeOffset WindowEnd { get; set; }
        public DateTimeOffset LastUsed { get; set; }
        public LinkedList<Waiter> Waiters { get; } = new();
    }

    private sealed class Waiter(string key)
    {
        public string Key { get; } = key;
        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
