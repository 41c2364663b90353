using System.Threading.RateLimiting;
using Determinant.Master.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Determinant.Master.Tests.Unit;

public sealed class FailureLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private FailureLimiter Limiter(int limit = 3, int queue = 4) => new(limit, TimeSpan.FromSeconds(60), queue, _time, "this account");

    private static void Fail(FailureLimiter limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        Assert.True(lease.IsAcquired);
        limiter.RecordFailure(key);
    }

    [Fact]
    public void AttemptAcquire_RefusesWithTheTimeLeftInTheWindow_AfterLimitFailures()
    {
        var limiter = Limiter();
        Fail(limiter, "alice");
        _time.Advance(TimeSpan.FromSeconds(20));
        Fail(limiter, "alice");
        Fail(limiter, "alice");

        using var refused = limiter.AttemptAcquire("alice");

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(40), retryAfter);
        Assert.True(refused.TryGetMetadata(MetadataName.ReasonPhrase, out var reason));
        Assert.Equal("too many failed logins for this account (at most 3 in 60 s)", reason);
        using var other = limiter.AttemptAcquire("bob");
        Assert.True(other.IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_GrantsAgain_OnceTheWindowHasEnded()
    {
        var limiter = Limiter();
        for (var i = 0; i < 3; i++)
            Fail(limiter, "alice");

        _time.Advance(TimeSpan.FromSeconds(59));
        using (var stillRefused = limiter.AttemptAcquire("alice"))
            Assert.False(stillRefused.IsAcquired);
        _time.Advance(TimeSpan.FromSeconds(1));

        using var granted = limiter.AttemptAcquire("alice");
        Assert.True(granted.IsAcquired);
    }

    [Fact]
    public void Successes_CostNothing_AndResetForgetsFailures()
    {
        var limiter = Limiter();
        for (var i = 0; i < 100; i++)
        {
            using var lease = limiter.AttemptAcquire("alice");
            Assert.True(lease.IsAcquired, $"success {i} was refused");
        }
        Fail(limiter, "alice");
        Fail(limiter, "alice");

        limiter.Reset("alice");

        for (var i = 0; i < 3; i++)
            Fail(limiter, "alice");
        using var refused = limiter.AttemptAcquire("alice");
        Assert.False(refused.IsAcquired);
    }

    [Fact]
    public void RunningAttempts_HoldPermits_SoThatAConcurrentBurstCannotPassTheLimit()
    {
        var limiter = Limiter();
        var running = Enumerable.Range(0, 3).Select(_ => limiter.AttemptAcquire("alice")).ToList();
        Assert.All(running, l => Assert.True(l.IsAcquired));

        using var fourth = limiter.AttemptAcquire("alice");

        Assert.False(fourth.IsAcquired);
        Assert.False(fourth.TryGetMetadata(MetadataName.RetryAfter, out _));
        running.ForEach(l => l.Dispose());
    }

    [Fact]
    public async Task AcquireAsync_Waits_ForARunningAttemptToSucceed()
    {
        var limiter = Limiter(limit: 1);
        var first = limiter.AttemptAcquire("alice");

        var waiting = limiter.AcquireAsync("alice", CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        first.Dispose();

        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(second.IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_RefusesWaiters_WhenTheRunningAttemptFailsTheLastPermit()
    {
        var limiter = Limiter(limit: 1);
        var first = limiter.AttemptAcquire("alice");
        var waiting = limiter.AcquireAsync("alice", CancellationToken.None).AsTask();

        limiter.RecordFailure("alice");
        first.Dispose();

        using var refused = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);
    }

    [Fact]
    public async Task AcquireAsync_RefusesAtOnce_WhenTheQueueIsFull()
    {
        var limiter = Limiter(limit: 1, queue: 1);
        using var running = limiter.AttemptAcquire("alice");
        var queued = limiter.AcquireAsync("alice", CancellationToken.None).AsTask();

        using var refused = await limiter.AcquireAsync("alice", CancellationToken.None);

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.False(queued.IsCompleted);
    }

    [Fact]
    public async Task AcquireAsync_LeavesTheQueue_WhenCanceled()
    {
        var limiter = Limiter(limit: 1, queue: 1);
        var running = limiter.AttemptAcquire("alice");
        using var cancel = new CancellationTokenSource();
        var queued = limiter.AcquireAsync("alice", cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        running.Dispose();
        Assert.Equal(0, limiter.TrackedKeys);
    }

    [Fact]
    public void State_IsDropped_WhenAKeyHasNoFailuresAndNothingRunning()
    {
        var limiter = Limiter();
        using (limiter.AttemptAcquire("alice"))
            Assert.Equal(1, limiter.TrackedKeys);
        Assert.Equal(0, limiter.TrackedKeys);
        Fail(limiter, "bob");
        Assert.Equal(1, limiter.TrackedKeys);
        limiter.Reset("bob");
        Assert.Equal(0, limiter.TrackedKeys);
    }

    [Fact]
    public void Sweep_DropsKeysWhoseWindowEnded_OnceTheTableHasGrown()
    {
        var limiter = Limiter();
        for (var i = 0; i < 1024; i++)
            Fail(limiter, $"user{i}");
        Assert.Equal(1024, limiter.TrackedKeys);
        _time.Advance(TimeSpan.FromSeconds(61));

        Fail(limiter, "late");

        Assert.Equal(1, limiter.TrackedKeys);
    }

    [Fact]
    public async Task For_GivesTheMiddlewareAKeysLimiter_ThatSharesTheCounts()
    {
        var limiter = Limiter(limit: 1);
        using var rateLimiter = limiter.For("10.0.0.1");
        Fail(limiter, "10.0.0.1");

        using var lease = await rateLimiter.AcquireAsync(1);

        Assert.False(lease.IsAcquired);
        Assert.Equal(0, rateLimiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("::1", "::1")]
    public void AddressKey_IsTheIpv4AddressOrTheIpv6Slash64(string address, string key) =>
        Assert.Equal(key, LoginThrottle.AddressKey(System.Net.IPAddress.Parse(address)));

    [Fact]
    public void AccountKey_IgnoresCase() => Assert.Equal(LoginThrottle.AccountKey("Alice"), LoginThrottle.AccountKey("aLICE"));
}
