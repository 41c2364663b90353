using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Determinant.Harness;
using Determinant.Harness.Distributed;

namespace Determinant.Bench;

/// <summary>
/// The worker processes of the distributed benchmarks: <c>--ddp-worker MODE RANK SIZE [ARGS]</c>. A worker meets its peer
/// through the parent (it prints <c>ENDPOINT text</c>, the parent answers <c>PEERS a\tb</c> on its input) and prints its
/// measurements as <c>RESULT key value</c> lines.
/// </summary>
internal static class DistributedBenchWorker
{
    public const string Switch = "--ddp-worker";

    public static int Run(string[] args)
    {
        var mode = args[1];
        var rank = int.Parse(args[2], CultureInfo.InvariantCulture);
        var size = int.Parse(args[3], CultureInfo.InvariantCulture);
        return mode switch
        {
            "allreduce" => AllReduce(rank, size),
            "digits" => Digits(rank, size, args[4], args[5], int.Parse(args[6], CultureInfo.InvariantCulture)),
            _ => throw new ArgumentException($"unknown worker mode {mode}"),
        };
    }

    /// <summary>The rendezvous through the parent: this worker's text out, everyone's back.</summary>
    private static Task<IReadOnlyList<string>> ThroughParent(string mine)
    {
        Console.Out.WriteLine($"ENDPOINT {mine}");
        Console.Out.Flush();
        var line = Console.In.ReadLine() ?? throw new InvalidOperationException("the parent closed the rendezvous");
        return Task.FromResult<IReadOnlyList<string>>(line["PEERS ".Length..].Split('\t'));
    }

    private static void Result(string key, double value) =>
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {key} {value:R}"));

    private static int AllReduce(int rank, int size)
    {
        // Rank 1 also listens for the plain TCP baseline; its endpoint travels with the ring's.
        using var plainListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        plainListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        plainListener.Listen(1);
        string[] plainEndpoints = [];
        // The ring as the harness makes it (sending on a second thread), and on one thread, to compare in one run.
        using var ring = TcpRingCollectives.ConnectAsync(rank, size, IPAddress.Loopback, async (endpoint, _) =>
        {
            var all = await ThroughParent($"{endpoint}|{plainListener.LocalEndPoint}");
            plainEndpoints = [.. all.Select(a => a.Split('|')[1])];
            return [.. all.Select(a => a.Split('|')[0])];
        }, TimeSpan.FromMinutes(2), CancellationToken.None).GetAwaiter().GetResult();
        const bool defaultThreads = true;
        using var other = TcpRingCollectives.ConnectAsync(rank, size, IPAddress.Loopback, (e, _) => ThroughParent(e), TimeSpan.FromMinutes(2),
            CancellationToken.None, sendOnSecondThread: !defaultThreads).GetAwaiter().GetResult();

        using var plain = rank == 0 ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) : plainListener.Accept();
        if (rank == 0)
            plain.Connect(IPEndPoint.Parse(plainEndpoints[1]));
        plain.NoDelay = true;
        plain.SendBufferSize = plain.ReceiveBufferSize = 4 << 20;

        foreach (var megabytes in AllReduceBenchmark.Sizes)
        {
            var floats = megabytes * (1 << 20) / sizeof(float);
            var buffer = new float[floats];
            var bytes = new byte[floats * sizeof(float)];
            var repetitions = AllReduceBenchmark.Repetitions(megabytes);
            var reduce = new List<double>();
            var reduceOther = new List<double>();
            var tcp = new List<double>();
            for (var r = 0; r < repetitions + 1; r++)
            {
                foreach (var (collectives, times) in new[] { (ring, reduce), (other, reduceOther) })
                {
                    Array.Fill(buffer, rank + 1f);
                    collectives.AllGather([]);
                    var begin = Stopwatch.GetTimestamp();
                    collectives.AllReduceSum(buffer);
                    var took = Stopwatch.GetElapsedTime(begin).TotalSeconds;
                    if (buffer[0] != 3f || buffer[^1] != 3f)
                        throw new InvalidOperationException($"all-reduce of {megabytes} MB is wrong: {buffer[0]}, {buffer[^1]}");
                    if (r > 0)
                        times.Add(took);
                }

                double elapsed;

                ring.AllGather([]);
                var start = Stopwatch.GetTimestamp();
                if (rank == 0)
                {
                    var sent = 0;
                    while (sent < bytes.Length)
                        sent += plain.Send(bytes.AsSpan(sent));
                    var ack = new byte[1];
                    if (plain.Receive(ack) != 1)
                        throw new InvalidOperationException("the plain TCP peer closed");
                }
                else
                {
                    var received = 0;
                    while (received < bytes.Length)
                    {
                        var got = plain.Receive(bytes.AsSpan(received));
                        received += got > 0 ? got : throw new InvalidOperationException("the plain TCP peer closed");
                    }

                    plain.Send([1]);
                }

                elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                if (r > 0)
                    tcp.Add(elapsed);
            }

            if (rank == 0)
            {
                Result($"allreduce-{megabytes}", HarnessOverheadBenchmark.Median(reduce));
                Result($"allreduce-other-{megabytes}", HarnessOverheadBenchmark.Median(reduceOther));
                Result("default-second-thread", defaultThreads ? 1 : 0);
                Result($"tcp-{megabytes}", HarnessOverheadBenchmark.Median(tcp));
            }
        }

        return 0;
    }

    private static int Digits(int rank, int size, string cache, string scratch, int batches)
    {
        var digits = Path.Combine(RepositoryRoot.Find(), "examples", "digits");
        var trialType = HarnessOverheadBenchmark.CompileTrial(digits, "model_def:DigitsTrial", cache);
        var environment = HarnessOverheadBenchmark.TrialEnvironment(DigitsDataParallelBenchmark.Yaml(size, batches), Path.Combine(scratch, "checkpoints"), digits);
        foreach (var (name, value) in new Dictionary<string, int> { ["RANK"] = rank, ["WORLD_SIZE"] = size, ["LOCAL_RANK"] = rank, ["LOCAL_WORLD_SIZE"] = size })
            environment[name] = value.ToString(CultureInfo.InvariantCulture);
        var api = new HarnessOverheadBenchmark.NoOpCoreApi((ulong)batches);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = new HarnessOptions
        {
            Output = output,
            Error = error,
            ConnectWorkers = async (place, timeout, ct) =>
                await TcpRingCollectives.ConnectAsync(place.Rank, place.Size, IPAddress.Loopback, (e, _) => ThroughParent(e), timeout, ct),
        };
        var code = HarnessMain.RunAsync(trialType, environment, api, options, CancellationToken.None).GetAwaiter().GetResult();
        if (code != HarnessExitCodes.Success)
            throw new InvalidOperationException($"rank {rank}: the harness exited with {code}: {error}\n{output}");
        if (rank == 0)
        {
            var polls = api.PollTimestamps;
            Result("step-ms", Stopwatch.GetElapsedTime(polls[0], polls[^1]).TotalMilliseconds / ((polls.Count - 1) * DigitsDataParallelBenchmark.SchedulingUnit));
            var line = output.ToString().Split('\n').FirstOrDefault(l => l.Contains("gradient averaging took", StringComparison.Ordinal));
            if (line is not null)
            {
                var words = line[line.IndexOf("took", StringComparison.Ordinal)..].Split(' ');
                Result("communication-s", double.Parse(words[1], CultureInfo.InvariantCulture));
                Result("training-s", double.Parse(words[5], CultureInfo.InvariantCulture));
            }
        }

        return 0;
    }
}

/// <summary>Starts the worker processes of a distributed benchmark, relays their rendezvous and collects their results.</summary>
internal static class BenchWorkers
{
    public static Dictionary<string, double> Run(int size, params string[] arguments) => Run(size, null, arguments);

    /// <param name="size">Worker processes to start.</param>
    /// <param name="threads">Torch threads per worker (<c>OMP_NUM_THREADS</c>); null splits the cores among the workers, as the agent does.</param>
    /// <param name="arguments">The worker mode and its arguments.</param>
    public static Dictionary<string, double> Run(int size, int? threads, params string[] arguments)
    {
        var processes = Enumerable.Range(0, size).Select(rank =>
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // As the agent starts the workers of one machine: they know how many share it, and split its cores.
            start.Environment["LOCAL_WORLD_SIZE"] = size.ToString(CultureInfo.InvariantCulture);
            start.Environment["OMP_NUM_THREADS"] = (threads ?? Math.Max(1, Environment.ProcessorCount / size)).ToString(CultureInfo.InvariantCulture);
            if (!Environment.ProcessPath!.EndsWith("Determinant.Bench", StringComparison.Ordinal))
                start.ArgumentList.Add(typeof(BenchWorkers).Assembly.Location);
            foreach (var argument in new[] { DistributedBenchWorker.Switch, arguments[0], rank.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture) }.Concat(arguments.Skip(1)))
                start.ArgumentList.Add(argument);
            return Process.Start(start)!;
        }).ToList();
        try
        {
            var errors = processes.Select(p => p.StandardError.ReadToEndAsync()).ToList();
            var results = new Dictionary<string, double>(StringComparer.Ordinal);
            var endpoints = new string?[size];
            var readers = processes.Select((p, rank) => Task.Run(() =>
            {
                while (p.StandardOutput.ReadLine() is { } line)
                {
                    if (line.StartsWith("ENDPOINT ", StringComparison.Ordinal))
                    {
                        lock (endpoints)
                        {
                            endpoints[rank] = line["ENDPOINT ".Length..];
                            if (endpoints.All(e => e is not null))
                            {
                                foreach (var peer in processes)
                                {
                                    peer.StandardInput.WriteLine("PEERS " + string.Join('\t', endpoints));
                                    peer.StandardInput.Flush();
                                }

                                // Ready for the next rendezvous.
                                Array.Fill(endpoints, null);
                            }
                        }
                    }
                    else if (line.StartsWith("RESULT ", StringComparison.Ordinal))
                    {
                        var parts = line.Split(' ');
                        lock (results)
                            results[parts[1]] = double.Parse(parts[2], CultureInfo.InvariantCulture);
                    }
                }
            })).ToArray();
            if (!Task.WaitAll(readers, TimeSpan.FromMinutes(20)))
                throw new TimeoutException("the benchmark workers did not finish in 20 minutes");
            foreach (var (process, rank) in processes.Select((p, r) => (p, r)))
            {
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new InvalidOperationException($"worker {rank} exited with {process.ExitCode}: {errors[rank].Result}");
            }

            return results;
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                    process.Kill();
                process.Dispose();
            }
        }
    }
}
