using Determinant.Master.Data;
using Determinant.Master.Auth;
using System.Globalization;
using System.Security.Claims;
using Determinant.Master.Errors;
using Determinant.Protocol.CoreApi;
using Microsoft.AspNetCore.Mvc;

namespace Determinant.Master.Tasks;

/// <summary>
/// The rendezvous of a distributed trial (REFERENCE.md §7.2, docs/distributed.md): every worker of an allocation posts
/// its part (its address) and the call answers, to each, all parts in rank order once the last worker has posted.
/// </summary>
/// <remarks>
/// A poll that waits longer than <c>timeout_seconds</c> answers 408 and the worker asks again; what it sent is kept. A
/// worker that asks again after the round completed gets the same answer. Rounds live in memory: a master restart loses
/// them, and the workers, which retry, simply post again.
/// </remarks>
internal static class RendezvousEndpoints
{
    private const int MaxPollSeconds = 600;
    private const int MaxDataLength = 64 * 1024;

    public static void Map(IEndpointRouteBuilder core)
    {
        // One board per master app, so that masters hosted side by side in one test process never meet.
        var board = new RendezvousBoard(core.ServiceProvider.GetRequiredService<TimeProvider>());
        core.MapPost("/allocations/{allocationId}/all_gather",
            (string allocationId, AllGatherRequest request, ClaimsPrincipal user, TimeProvider time, MasterDbContext db, CancellationToken cancellationToken,
                [FromQuery(Name = "timeout_seconds")] int timeoutSeconds = 60) =>
                AllGatherAsync(board, allocationId, request, user, time, timeoutSeconds, db, cancellationToken))
            .WithTags("Core API");
    }

    internal static async Task<IResult> AllGatherAsync(RendezvousBoard board, string allocationId, AllGatherRequest request, ClaimsPrincipal user,
        TimeProvider time, int timeoutSeconds, MasterDbContext db, CancellationToken cancellationToken)
    {
        await TrialAccess.RequireAllocationAsync(user, allocationId, db, cancellationToken).ConfigureAwait(false);
        if (request.NumPeers < 1)
            throw new BadRequestException(string.Create(CultureInfo.InvariantCulture, $"numPeers must be at least 1, not {request.NumPeers}"));
        if (request.Rank < 0 || request.Rank >= request.NumPeers)
            throw new BadRequestException(string.Create(CultureInfo.InvariantCulture, $"rank {request.Rank} must lie in [0, numPeers={request.NumPeers})"));
        if (request.Data is null || request.Data.Length > MaxDataLength)
            throw new BadRequestException(string.Create(CultureInfo.InvariantCulture, $"data must be a string of at most {MaxDataLength} characters"));
        var round = board.Join(allocationId, request);
        try
        {
            var all = await round.Completion.WaitAsync(TimeSpan.FromSeconds(Math.Clamp(timeoutSeconds, 0, MaxPollSeconds)), time, cancellationToken)
                .ConfigureAwait(false);
            return TypedResults.Ok(new AllGatherResponse(all));
        }
        catch (TimeoutException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status408RequestTimeout, title: "Rendezvous not complete",
                detail: $"allocation {allocationId}: {round.Describe()} within {timeoutSeconds} s; ask again");
        }
    }
}

/// <summary>The open and recently completed rendezvous rounds, one per allocation.</summary>
internal sealed class RendezvousBoard(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromHours(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RendezvousRound> _rounds = new(StringComparer.Ordinal);

    /// <exception cref="ConflictException">The worker's <see cref="AllGatherRequest.NumPeers"/> differs from the round's.</exception>
    public RendezvousRound Join(string allocationId, AllGatherRequest request)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var stale in _rounds.Where(p => now - p.Value.Started > Keep).Select(p => p.Key).ToList())
                _rounds.Remove(stale);
            if (!_rounds.TryGetValue(allocationId, out var round) || round.StartsNewRound(request))
                _rounds[allocationId] = round = new RendezvousRound(request.NumPeers, now);
            if (round.NumPeers != request.NumPeers)
            {
                throw new ConflictException(string.Create(CultureInfo.InvariantCulture,
                    $"rank {request.Rank} of allocation {allocationId} says numPeers={request.NumPeers}, but the rendezvous it joins has {round.NumPeers}"));
            }
            round.Add(request.Rank, request.Data);
            return round;
        }
    }
}

/// <summary>One all-gather among the workers of an allocation.</summary>
internal sealed class RendezvousRound(int numPeers, DateTimeOffset started)
{
    private readonly string?[] _data = new string?[numPeers];
    private readonly TaskCompletionSource<IReadOnlyList<string>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int NumPeers => numPeers;

    public DateTimeOffset Started => started;

    public Task<IReadOnlyList<string>> Completion => _completion.Task;

    /// <summary>A completed round is not joined again by a worker that brings something new: that is the next rendezvous.</summary>
    public bool StartsNewRound(AllGatherRequest request) =>
        _completion.Task.IsCompleted && (request.NumPeers != numPeers || _data[request.Rank] != request.Data);

    public void Add(int rank, string data)
    {
        lock (_data)
        {
            if (_completion.Task.IsCompleted)
                return;
            _data[rank] = data;
            if (_data.All(d => d is not null))
                _completion.SetResult([.. _data!]);
        }
    }

    public string Describe()
    {
        List<int> arrived;
        lock (_data)
            arrived = [.. Enumerable.Range(0, numPeers).Where(r => _data[r] is not null)];
        return string.Create(CultureInfo.InvariantCulture,
            $"{arrived.Count} of {numPeers} workers arrived (ranks {string.Join(", ", arrived)}; waiting for {string.Join(", ", Enumerable.Range(0, numPeers).Except(arrived))})");
    }
}
