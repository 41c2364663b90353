using System.Reflection;
using Determinant.Bench;

// Usage: dotnet run -c Release --project bench/Determinant.Bench [-- NAME...]
// With no name every benchmark runs. Exit code 1 when any target was missed.
if (args.Length > 0 && args[0] == Noop.Switch)
    return 0; // the empty-process baseline of the CLI benchmarks
if (args.Length > 0 && args[0] == HealthServer.Switch)
    return HealthServer.Run(args); // the master-rss baseline, started by MasterRssBenchmark as its own process
if (args.Length > 1 && args[0] == PlainFirstBatch.Switch)
    return PlainFirstBatch.Run(args); // the first-batch baseline, started by FirstBatchBenchmark as its own process
if (args.Length > 0 && args[0] == DistributedBenchWorker.Switch)
    return DistributedBenchWorker.Run(args); // a worker process of the allreduce and digits-ddp benchmarks

var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Contains("--list"))
{
    foreach (var b in benchmarks)
        Console.WriteLine($"{b.Name,-24} {b.Description}");
    return 0;
}

var selected = args.Length == 0 ? benchmarks : benchmarks.Where(b => args.Contains(b.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"no benchmark named {string.Join(", ", args)}; known: {string.Join(", ", benchmarks.Select(b => b.Name))}");
    return 2;
}

var root = RepositoryRoot.Find();
var allMet = true;
foreach (var benchmark in selected)
{
    Console.WriteLine($"== {benchmark.Name}: {benchmark.Description}");
    var met = benchmark.Run(Console.Out, root);
    Console.WriteLine(met ? "   target met" : "   TARGET MISSED");
    allMet &= met;
}
return allMet ? 0 : 1;
