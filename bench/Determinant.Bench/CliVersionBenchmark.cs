using System.Globalization;

namespace Determinant.Bench;

/// <summary>
/// <c>./det --version</c> wall time, as a user starts it (the launcher's staleness check included), and the CLI's
/// assembly run directly. Baseline in the same run: a .NET process that does nothing (this benchmark binary's
/// <c>--noop</c>), i.e. the cost of starting the runtime at all.
/// </summary>
internal sealed class CliVersionBenchmark : IBenchmark
{
    private const double TargetMilliseconds = 200;

    public string Name => "cli-version";

    public string Description => $"`det --version` p50 < {TargetMilliseconds} ms (baseline: an empty .NET process)";

    public bool Run(TextWriter output, string repositoryRoot)
    {
        output.WriteLine($"   machine before: {Stats.MachineLoad()}");
        var det = CliProcess.EnsureDet(repositoryRoot);
        var launcher = CliProcess.Time(3, 20, det, ["--version"]);
        var direct = CliProcess.Time(3, 20, "dotnet", [Path.Combine(repositoryRoot, ".det-build", "cli", "det.dll"), "--version"]);
        var empty = CliProcess.Time(3, 20, "dotnet", [typeof(CliVersionBenchmark).Assembly.Location, Noop.Switch]);
        Print(output, "./det --version (launcher + CLI)", launcher, empty);
        Print(output, "dotnet .det-build/cli/det.dll --version", direct, empty);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   empty .NET process: p50 {Stats.Percentile(empty, 50):F0} ms"));
        output.WriteLine($"   machine after: {Stats.MachineLoad()}");
        return Stats.Percentile(launcher, 50) < TargetMilliseconds;
    }

    internal static void Print(TextWriter output, string what, List<double> ours, List<double> baseline) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {what}: p50 {Stats.Percentile(ours, 50):F0} ms, p95 {Stats.Percentile(ours, 95):F0} ms, max {ours[^1]:F0} ms; ratio to an empty .NET process (p50) {Stats.Percentile(ours, 50) / Stats.Percentile(baseline, 50):F2}x"));
}
