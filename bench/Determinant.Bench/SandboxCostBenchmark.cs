using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Determinant.Agent.Hosting;
using Determinant.Agent.Sandbox;
using Determinant.Agent.Tasks;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Determinant.Bench;

/// <summary>
/// What the task sandbox adds to a task's start: the agent's own launcher starts <c>/bin/true</c> and waits for its exit,
/// once sandboxed (working directory handed to the task user, cgroup made and joined, bubblewrap namespaces, setpriv to
/// the task user; the cgroup's removal after the exit is not counted) and once unsandboxed (setsid only), alternating, in the same run. Needs root; elsewhere it reports a skip.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class SandboxCostBenchmark : IBenchmark
{
    private const int WarmUp = 5;
    private const int Samples = 40;
    private const double TargetMilliseconds = 20;

    public string Name => "sandbox-cost";

    public string Description => $"task start to exit of /bin/true, sandboxed minus unsandboxed, median of {Samples}; target < {TargetMilliseconds} ms";

    public bool Run(TextWriter output, string repositoryRoot) => RunAsync(output).GetAwaiter().GetResult();

    private static async Task<bool> RunAsync(TextWriter output)
    {
        if (Libc.GetEuid() != 0)
        {
            output.WriteLine("   skipped: the sandbox needs root");
            return true;
        }
        var workDir = Directory.CreateTempSubdirectory("det-sandbox-bench-").FullName;
        using var sandboxed = Host(workDir, unsandboxed: false);
        using var unsandboxed = Host(workDir, unsandboxed: true);
        try
        {
            var inSandbox = new List<double>();
            var plain = new List<double>();
            for (var i = 0; i < WarmUp + Samples; i++)
            {
                var a = await StartToExitAsync(sandboxed, workDir, i, sandbox: true);
                var b = await StartToExitAsync(unsandboxed, workDir, i, sandbox: false);
                if (i < WarmUp)
                    continue;
                inSandbox.Add(a);
                plain.Add(b);
            }
            var cost = Stats.Median(inSandbox) - Stats.Median(plain);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"   sandboxed: median {Stats.Median(inSandbox):F1} ms; unsandboxed: median {Stats.Median(plain):F1} ms; "
                + $"cost {cost:F1} ms per task start; ratio {Stats.Median(inSandbox) / Stats.Median(plain):F2}x ({Stats.MachineLoad()})"));
            return cost < TargetMilliseconds;
        }
        finally
        {
            Directory.Delete(workDir, recursive: true);
        }
    }

    private static IHost Host(string workDir, bool unsandboxed) => AgentHost.Build([], new Dictionary<string, string?>
    {
        ["master"] = "http://127.0.0.1:1",
        ["agent_token"] = "bench",
        ["agent_id"] = "sandbox-bench-" + (unsandboxed ? "off" : "on"),
        ["slots"] = "1",
        ["work_dir"] = workDir,
        ["unsandboxed"] = unsandboxed ? "true" : "false",
        ["standby_harness"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    });

    /// <summary>One task through the agent's sandbox and launcher: host side readied, started, exited, cgroup gone.</summary>
    private static async Task<double> StartToExitAsync(IHost host, string workRoot, int index, bool sandbox)
    {
        var launcher = host.Services.GetRequiredService<ProcessLauncher>();
        var taskSandbox = host.Services.GetRequiredService<TaskSandbox>();
        var launch = new LaunchCommand($"1.bench.{index}.{(sandbox ? "s" : "u")}", "1.bench", "COMMAND", [0], ["/bin/true"], new Dictionary<string, string>());
        var directory = Path.Combine(workRoot, launch.AllocationId);
        Directory.CreateDirectory(directory);
        var begin = Stopwatch.GetTimestamp();
        var spec = sandbox ? taskSandbox.SpecOf(launch) : null;
        if (spec is not null)
            taskSandbox.PrepareHost(spec, directory);
        var started = launcher.Start(new TaskContext(launch, "bench", "c", directory, new Uri("http://127.0.0.1:1"), [], [], Sandbox: spec));
        await started.Process.WaitForExitAsync();
        // The cgroup's teardown (kill what is left, rmdir) runs after the exit, off the next task's path: not counted.
        var elapsed = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
        if (started.Cgroup is { } cgroup)
            await cgroup.DestroyAsync(CancellationToken.None);
        started.Process.Dispose();
        Directory.Delete(directory, recursive: true);
        return elapsed;
    }
}
