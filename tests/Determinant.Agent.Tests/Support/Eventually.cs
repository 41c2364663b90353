namespace Determinant.Agent.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes; tests never sleep for a fixed time.</summary>
internal static class Eventually
{
    // Generous: CI runs the test assemblies side by side on two cores, next to real training.
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    public static async Task<T> GetAsync<T>(Func<T?> probe, string what, TimeSpan? deadline = null)
        where T : class
    {
        var until = DateTime.UtcNow + (deadline ?? DefaultDeadline);
        while (true)
        {
            if (probe() is { } value)
                return value;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        GetAsync(() => condition() ? "" : null, what, deadline);
}
