using System.Net;
using Determinant.Harness.Distributed;
using Determinant.Harness.Tests.Fakes;

namespace Determinant.Harness.Tests.Distributed;

/// <summary>A rendezvous in memory: completes once all <c>size</c> workers have posted their endpoint.</summary>
internal sealed class InProcessRendezvous(int size)
{
    private readonly string?[] _endpoints = new string?[size];
    private readonly TaskCompletionSource<IReadOnlyList<string>> _all = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<string, CancellationToken, Task<IReadOnlyList<string>>> For(int rank) => (endpoint, ct) =>
    {
        lock (_endpoints)
        {
            _endpoints[rank] = endpoint;
            if (_endpoints.All(e => e is not null))
                _all.TrySetResult([.. _endpoints!]);
        }

        return _all.Task.WaitAsync(ct);
    };

    /// <summary>Connects <paramref name="size"/> workers over loopback TCP, each on its own task.</summary>
    public static async Task<TcpRingCollectives[]> ConnectAsync(int size, TimeSpan timeout)
    {
        var rendezvous = new InProcessRendezvous(size);
        return await Task.WhenAll(Enumerable.Range(0, size).Select(rank =>
            TcpRingCollectives.ConnectAsync(rank, size, IPAddress.Loopback, rendezvous.For(rank), timeout, CancellationToken.None)));
    }
}

/// <summary>Runs the workers of one distributed trial through <see cref="HarnessMain"/> at once, in this process, each with its own in-memory master.</summary>
internal static class InProcessWorkers
{
    public sealed record Worker(int ExitCode, string Output, string Error, InMemoryCoreApi Api);

    public static async Task<Worker[]> RunAsync(Type trialType, Dictionary<string, string?> environment, int size, Func<int, InMemoryCoreApi> api, TimeSpan? timeout = null)
    {
        var rendezvous = new InProcessRendezvous(size);
        var runs = Enumerable.Range(0, size).Select(rank => Task.Run(async () =>
        {
            var env = new Dictionary<string, string?>(environment)
            {
                ["RANK"] = Text(rank), ["WORLD_SIZE"] = Text(size), ["LOCAL_RANK"] = Text(rank), ["LOCAL_WORLD_SIZE"] = Text(size),
                ["CROSS_RANK"] = "0", ["CROSS_SIZE"] = "1",
            };
            using var output = new StringWriter();
            using var error = new StringWriter();
            var master = api(rank);
            var options = new HarnessOptions
            {
                Output = output,
                Error = error,
                ConnectWorkers = async (place, collectiveTimeout, ct) =>
                    await TcpRingCollectives.ConnectAsync(place.Rank, place.Size, IPAddress.Loopback, rendezvous.For(place.Rank), timeout ?? collectiveTimeout, ct),
            };
            var code = await HarnessMain.RunAsync(trialType, env, master, options, CancellationToken.None);
            return new Worker(code, output.ToString(), error.ToString(), master);
        })).ToList();
        return await Task.WhenAll(runs);
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
