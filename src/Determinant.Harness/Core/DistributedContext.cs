using System.Globalization;

namespace Determinant.Harness;

/// <summary>This process's place among the trial's workers (<see cref="CoreContext.Distributed"/>), from the rank variables of REFERENCE.md §7.1.</summary>
/// <remarks>
/// Read from <c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>LOCAL_WORLD_SIZE</c> (or <c>LOCAL_SIZE</c>),
/// <c>GROUP_RANK</c> (or <c>CROSS_RANK</c>) and <c>GROUP_WORLD_SIZE</c> (or <c>CROSS_SIZE</c>); a process without them is the
/// only worker. Only the chief should report metrics, complete operations and store checkpoints.
/// </remarks>
public sealed class DistributedContext
{
    private DistributedContext(int rank, int size, int localRank, int localSize, int crossRank, int crossSize)
    {
        Rank = rank;
        Size = size;
        LocalRank = localRank;
        LocalSize = localSize;
        CrossRank = crossRank;
        CrossSize = crossSize;
    }

    /// <summary>This worker's rank among all workers, 0 to <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>All workers of the trial.</summary>
    public int Size { get; }

    /// <summary>This worker's rank on its node.</summary>
    public int LocalRank { get; }

    /// <summary>Workers on this node.</summary>
    public int LocalSize { get; }

    /// <summary>This node's rank among the trial's nodes.</summary>
    public int CrossRank { get; }

    /// <summary>The trial's nodes.</summary>
    public int CrossSize { get; }

    /// <summary>Whether this is rank 0, the worker that talks to the master.</summary>
    public bool IsChief => Rank == 0;

    /// <summary>Whether this is the first worker on its node.</summary>
    public bool IsLocalChief => LocalRank == 0;

    /// <summary>The only worker of a trial.</summary>
    internal static DistributedContext Single { get; } = new(0, 1, 0, 1, 0, 1);

    /// <exception cref="ArgumentException">A variable is not an integer, or a rank lies outside its size; the message names it.</exception>
    internal static DistributedContext FromEnvironment(IReadOnlyDictionary<string, string?> env)
    {
        var size = Read(env, 1, "WORLD_SIZE");
        var rank = Read(env, 0, "RANK");
        var localSize = Read(env, size, "LOCAL_WORLD_SIZE", "LOCAL_SIZE");
        var localRank = Read(env, rank, "LOCAL_RANK");
        var crossSize = Read(env, 1, "GROUP_WORLD_SIZE", "CROSS_SIZE");
        var crossRank = Read(env, 0, "GROUP_RANK", "CROSS_RANK");
        Check("RANK", rank, "WORLD_SIZE", size);
        Check("LOCAL_RANK", localRank, "LOCAL_WORLD_SIZE", localSize);
        Check("GROUP_RANK", crossRank, "GROUP_WORLD_SIZE", crossSize);
        return new DistributedContext(rank, size, localRank, localSize, crossRank, crossSize);
    }

    private static int Read(IReadOnlyDictionary<string, string?> env, int fallback, params string[] names)
    {
        foreach (var name in names)
        {
            if (!env.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text))
                continue;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value : throw new ArgumentException($"{name} must be an integer, not '{text}'");
        }

        return fallback;
    }

    private static void Check(string rankName, int rank, string sizeName, int size)
    {
        if (size < 1 || rank < 0 || rank >= size)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{rankName}={rank} must lie in [0, {sizeName}={size})"));
    }
}
