using System.Globalization;

namespace Determinant.Bench;

/// <summary>
/// The harness's ring all-reduce (TcpRingCollectives) of 1, 16 and 64 MB of float32 between two worker processes on
/// loopback, versus a plain TCP transfer of the same bytes between the same two processes. Throughput is the buffer's
/// size over the median time; the all-reduce must reach half the plain transfer's throughput at 64 MB.
/// </summary>
/// <remarks>
/// An all-reduce of B bytes between two workers sends B/2 and receives B/2 in each direction twice (reduce-scatter,
/// all-gather) and adds B/2 floats, so at best it matches one B-byte transfer when both directions run at full speed.
/// </remarks>
internal sealed class AllReduceBenchmark : IBenchmark
{
    private const double Target = 0.5;

    public static readonly int[] Sizes = [1, 16, 64];

    public string Name => "allreduce";

    public string Description => $"ring all-reduce of 1/16/64 MB float32 between 2 processes vs plain TCP of the same bytes; ≥ {Target:0.0}× its throughput at 64 MB";

    public static int Repetitions(int megabytes) => megabytes <= 1 ? 30 : megabytes <= 16 ? 10 : 5;

    public bool Run(TextWriter output, string repositoryRoot)
    {
        var results = BenchWorkers.Run(2, "allreduce");
        var ratio64 = 0.0;
        var threaded = results["default-second-thread"] == 1;
        output.WriteLine($"   all-reduce as this machine runs it ({(threaded ? "sending on a second thread" : "one thread for both directions")}); in brackets the other way");
        output.WriteLine($"   {"size",6} {"all-reduce",12} {"GB/s",7} {"plain TCP",12} {"GB/s",7} {"ratio",7} {"[other way]",14}");
        foreach (var megabytes in Sizes)
        {
            var reduce = results[$"allreduce-{megabytes}"];
            var reduceOther = results[$"allreduce-other-{megabytes}"];
            var tcp = results[$"tcp-{megabytes}"];
            var bytes = megabytes * (double)(1 << 20);
            var ratio = tcp / reduce;
            if (megabytes == 64)
                ratio64 = ratio;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   {megabytes,4} MB {reduce * 1000,9:0.00} ms {bytes / reduce / 1e9,7:0.00} {tcp * 1000,9:0.00} ms {bytes / tcp / 1e9,7:0.00} {ratio,7:0.00}   [{reduceOther * 1000:0.00} ms, ratio {tcp / reduceOther:0.00}]"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   64 MB all-reduce throughput / plain TCP throughput: {ratio64:0.00} (target ≥ {Target:0.0})"));
        return ratio64 >= Target;
    }
}
