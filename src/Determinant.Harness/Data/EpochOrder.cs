using TorchSharp;

namespace Determinant.Harness.Data;

/// <summary>The record order of one epoch: the identity, or a permutation drawn only from (seed, epoch).</summary>
/// <remarks>A private generator keeps the order independent of the global torch RNG, which models use for dropout.</remarks>
internal static class EpochOrder
{
    public static long[] Of(long records, bool shuffle, long seed, int epoch)
    {
        if (!shuffle)
        {
            var identity = new long[records];
            for (var i = 0L; i < records; i++)
                identity[i] = i;
            return identity;
        }

        using var generator = new torch.Generator(Mix(seed, epoch), torch.CPU);
        using var permutation = torch.randperm(records, generator: generator);
        return permutation.data<long>().ToArray();
    }

    // SplitMix64 over (seed, epoch): stable across processes and runs, unlike HashCode.
    private static ulong Mix(long seed, int epoch)
    {
        var z = unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) + (ulong)epoch + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (z ^ (z >> 31)) & long.MaxValue;
    }

    public static int BatchCount(long records, int batchSize, bool dropLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var count = dropLast ? records / batchSize : (records + batchSize - 1) / batchSize;
        if (count < 1)
            throw new ArgumentException($"{records} records make no batch of {batchSize}{(dropLast ? " when the last partial batch is dropped" : "")}");
        return checked((int)count);
    }
}
