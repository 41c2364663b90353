namespace Determinant.Agent.Reporting;

/// <summary>Doubling waits between retries, from a minimum to a maximum, reset after a success.</summary>
internal sealed class Backoff(TimeSpan minimum, TimeSpan maximum, TimeProvider time)
{
    private readonly TimeSpan _minimum = minimum;
    private TimeSpan _next = minimum;

    public void Reset() => _next = _minimum;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(maximum.Ticks, _next.Ticks * 2));
        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }
}
