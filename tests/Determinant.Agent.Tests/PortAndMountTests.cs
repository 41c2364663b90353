using System.Globalization;
using Determinant.Agent.Sandbox;
using Determinant.Agent.Tasks;
using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tests;

public sealed class PortAndMountTests
{
    private const string SharedFs = "/determined_shared_fs";
    private static readonly TaskPort Http = new("http", "DET_TASK_PORT");

    [Fact]
    public void TaskPorts_PicksDistinctPortsNotHeldByAnotherAllocation_AndFreesThemOnRelease()
    {
        var ports = new TaskPorts();

        var first = ports.Reserve([Http, new TaskPort("tb", "TB_PORT")]);
        var second = ports.Reserve([Http]);

        Assert.Equal(["http", "tb"], first.Keys.Order(StringComparer.Ordinal));
        Assert.All(first.Values.Concat(second.Values), p => Assert.InRange(p, 1024, 65535));
        Assert.Equal(3, first.Values.Concat(second.Values).Distinct().Count());
        Assert.Equal(first.Values.Concat(second.Values).Order(), ports.Held.Order());
        ports.Release(first.Values);
        Assert.Equal([second["http"]], ports.Held);
        Assert.Empty(ports.Reserve(null));
        Assert.Throws<ArgumentException>(() => ports.Reserve([Http, new TaskPort("http", "OTHER")]));
        Assert.Equal([second["http"]], ports.Held);
    }

    [Fact]
    public void TaskEnvironment_SetsPortAndHost_ForTheSingleProcessAndTheChiefOnly()
    {
        var launch = AgentUnderTest.Shell("1.a.1", "") with { Ports = [Http] };
        var ports = new Dictionary<string, int> { ["http"] = 40123 };
        TaskContext Context(TaskWorker? worker) => new(launch, "agent", "c", "/w", new Uri("http://127.0.0.1:8080"), [], [], worker, ports);

        var single = TaskEnvironment.Build(Context(null));
        var chief = TaskEnvironment.Build(Context(new TaskWorker(0, 0, [0], new Dictionary<string, string>())));
        var other = TaskEnvironment.Build(Context(new TaskWorker(1, 1, [1], new Dictionary<string, string>())));

        Assert.Equal("40123", single["DET_TASK_PORT"]);
        Assert.Equal("127.0.0.1", single["DET_TASK_HOST"]);
        Assert.Equal("40123", chief["DET_TASK_PORT"]);
        Assert.False(other.ContainsKey("DET_TASK_PORT"));
        Assert.False(other.ContainsKey("DET_TASK_HOST"));
    }

    [Fact]
    public async Task Launch_PassesTheChosenPortAndReportsItInRunning_WhenTheLaunchAsksForAPort()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo \"port=$DET_TASK_PORT host=$DET_TASK_HOST\"") with { TaskType = "NOTEBOOK", Ports = [Http] });
        var exited = await master.ExitedAsync(allocation);
        var running = await Eventually.GetAsync(() => master.EventOf(allocation, AllocationStates.Running), $"RUNNING of {allocation}");

        Assert.Equal(0, exited.Event.ExitCode);
        Assert.NotNull(running.Event.Ports);
        var port = Assert.Single(running.Event.Ports);
        Assert.Equal("http", port.Key);
        Assert.InRange(port.Value, 1024, 65535);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"port={port.Value} host=127.0.0.1\n"), master.LogsOf(allocation).Select(l => l.Log));
        Assert.Null(exited.Event.Ports);
    }

    [Fact]
    public void SandboxArgv_JoinsTheCgroupThenBindsSystemWorkDirAndMountsByDepth_ThenDropsToTheUser()
    {
        var layout = new SandboxLayout(new SandboxPrograms("/usr/bin/env", "/usr/bin/bwrap", "/usr/bin/setpriv", "/bin/sh"),
            [new RootEntry("usr"), new RootEntry("bin", "usr/bin")], ["/opt/dotnet"], ["/dev/nvidia0"], ["/etc/det/agent_token"]);
        var spec = new SandboxSpec(new TaskUser(999, 995, "det-task"),
            [new TaskMount("/data/cache", "/determined_shared_fs/cache"), new TaskMount("/tmp/seed", SharedFs, ReadOnly: true), new TaskMount("/srv/in", "inputs")],
            null, 64, "x");

        var argv = SandboxArgv.Build(layout, spec, "/work/a.1", ["/sys/fs/cgroup/pids/p/a/cgroup.procs"], startupHook: false, ["sh", "-c", "cat x"]);

        var text = string.Join(" ", argv);
        Assert.StartsWith("/bin/sh -c ", text, StringComparison.Ordinal);
        Assert.Contains(" det-cgroup /sys/fs/cgroup/pids/p/a/cgroup.procs -- /usr/bin/env --ignore-signal=TERM -- /usr/bin/bwrap --symlink usr/bin /bin --ro-bind /usr /usr "
            + "--proc /proc --dev /dev --perms 1777 --tmpfs /dev/shm --dev-bind /dev/nvidia0 /dev/nvidia0 --ro-bind /sys /sys --perms 1777 --tmpfs /tmp "
            + "--ro-bind /opt/dotnet /opt/dotnet --perms 0755 --dir /run --perms 0755 --dir /run/determined --bind /work/a.1 /run/determined/workdir "
            + "--ro-bind /tmp/seed /determined_shared_fs --bind /data/cache /determined_shared_fs/cache "
            + "--bind /srv/in /run/determined/workdir/inputs "
            + "--ro-bind /dev/null /etc/det/agent_token --unshare-pid", text, StringComparison.Ordinal);
        Assert.EndsWith("--cap-add CAP_SETUID --cap-add CAP_SETGID -- /usr/bin/env --default-signal=TERM -- /usr/bin/setpriv --reuid=999 --regid=995 "
            + "--clear-groups --inh-caps=-all --bounding-set=-all -- sh -c cat x", text, StringComparison.Ordinal);
        Assert.DoesNotContain("startup-hook.sh", text, StringComparison.Ordinal);
        Assert.Contains("det-startup-hook sh -c", string.Join(" ", SandboxArgv.Build(layout, spec, "/work/a.1", [], startupHook: true, ["sh", "-c", "x"])), StringComparison.Ordinal);
    }

    [Fact]
    public void SandboxArgv_NamesTheMount_WhenItsHostPathIsMissingOrRelative()
    {
        Assert.Equal($"bind mount /seed -> {SharedFs}: host path does not exist", SandboxArgv.Check([new TaskMount("/seed", SharedFs)], _ => false));
        Assert.Equal($"bind mount seed -> {SharedFs}: host path must be absolute", SandboxArgv.Check([new TaskMount("seed", SharedFs)], _ => true));
        Assert.Null(SandboxArgv.Check([new TaskMount("/seed", SharedFs)], _ => true));
    }

    [Fact]
    public async Task Launch_FailsNamingTheMount_WhenTheHostPathDoesNotExist()
    {
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var missing = Path.Combine(Path.GetTempPath(), "det-missing-" + Guid.NewGuid().ToString("N"));

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo should not run") with { Mounts = [new TaskMount(missing, SharedFs)] });
        var exited = await master.ExitedAsync(allocation);

        Assert.Null(exited.Event.ExitCode);
        Assert.Contains($"bind mount {missing} -> {SharedFs}: host path does not exist", exited.Event.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(master.LogsOf(allocation), l => l.Log == "should not run\n");
    }

    [SkippableFact]
    public async Task Launch_ShowsTheHostDirectoryAtTheContainerPathReadOnly_WithoutCreatingItOnTheHost()
    {
        SkipUnlessBubblewrap();
        var seed = Directory.CreateTempSubdirectory("det-seed-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(seed, "x"), "from the host\n");
            // The task runs as an unprivileged user: host permissions apply to what it is shown.
            File.SetUnixFileMode(seed, (UnixFileMode)0b111_101_101);
            await using var master = await FakeMaster.StartAsync();
            await using var agent = await AgentUnderTest.StartAsync(master);
            var allocation = AgentUnderTest.NewAllocationId();

            master.Enqueue(AgentUnderTest.Shell(allocation,
                $"cat {SharedFs}/x; if touch {SharedFs}/y 2>/dev/null; then echo writable; else echo read-only; fi; echo \"cwd=$(pwd)\"")
                with { Mounts = [new TaskMount(seed, SharedFs, ReadOnly: true)] });
            var exited = await master.ExitedAsync(allocation);

            var lines = master.LogsOf(allocation).Where(l => l.Source == "task").Select(l => l.Log).ToList();
            Assert.Equal(0, exited.Event.ExitCode);
            Assert.Contains("from the host\n", lines);
            Assert.Contains("read-only\n", lines);
            Assert.Contains("cwd=/run/determined/workdir\n", lines);
            Assert.False(Path.Exists(SharedFs), $"{SharedFs} must not be created in the host's root");
            Assert.False(File.Exists(Path.Combine(seed, "y")));
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }
    }

    [SkippableFact]
    public async Task Kill_ReachesTheTasksSigtermHandler_WhenItRunsInBubblewrap()
    {
        SkipUnlessBubblewrap();
        var seed = Directory.CreateTempSubdirectory("det-seed-").FullName;
        try
        {
            await using var master = await FakeMaster.StartAsync();
            await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["kill_grace_seconds"] = "60" });
            var allocation = AgentUnderTest.NewAllocationId();
            master.Enqueue(AgentUnderTest.Shell(allocation, $"trap 'echo bye; exit 0' TERM; test -d {SharedFs} && echo ready; while :; do sleep 0.1; done")
                with { Mounts = [new TaskMount(seed, SharedFs)] });
            await master.LineAsync(allocation, "ready");

            master.Enqueue(kill: new KillCommand(allocation, Graceful: true));
            var exited = await master.ExitedAsync(allocation);

            // A 60 s grace: only the task's own handler, not the escalation to SIGKILL, ends it within the deadline.
            Assert.Equal(0, exited.Event.ExitCode);
            Assert.Contains(master.LogsOf(allocation), l => l.Log == "bye\n");
        }
        finally
        {
            Directory.Delete(seed, recursive: true);
        }
    }

    private static void SkipUnlessBubblewrap()
    {
        Skip.If(Slots.SlotDiscovery.FindOnPath("bwrap") is null, "bubblewrap (bwrap) is not installed: apt-get install bubblewrap");
        Skip.If(Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal),
            "the bubblewrap tests run as root (bwrap binds the host's root without a user namespace)");
    }
}
