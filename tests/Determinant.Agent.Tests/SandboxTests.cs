using System.Globalization;
using Determinant.Agent.Sandbox;
using Determinant.Agent.Tests.Support;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Tests;

/// <summary>Every task runs in the sandbox: real bubblewrap, a real unprivileged user, real cgroups (the agent tests run as root).</summary>
public sealed class SandboxTests
{
    [SkippableFact]
    public async Task Launch_HidesTheAgentsSecretsAndRunsUnprivileged_WithAPrivateTmp()
    {
        SkipUnlessRoot();
        var secrets = Directory.CreateTempSubdirectory("det-master-data-").FullName;
        var token = Path.Combine(secrets, "agent_token");
        await File.WriteAllTextAsync(token, FakeMaster.Token);
        var rootSecret = "/root/.det-sandbox-test-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(rootSecret, "secret");
        var hostTmp = Path.Combine(Path.GetTempPath(), "det-host-tmp-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(hostTmp, "host");
        try
        {
            await using var master = await FakeMaster.StartAsync();
            await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["agent_token"] = null, ["token_file"] = token });
            var allocation = AgentUnderTest.NewAllocationId();

            master.Enqueue(AgentUnderTest.Shell(allocation,
                $"echo uid=$(id -u); for f in {token} {rootSecret} /etc/shadow {hostTmp}; do "
                + "if cat $f >/dev/null 2>&1; then echo \"sees $f\"; else echo \"hidden $f\"; fi; done; "
                + $"for d in {secrets} {agent.WorkDir} /root; do if ls -A $d 2>/dev/null | grep -q .; then echo \"sees $d\"; else echo \"hidden $d\"; fi; done; "
                + "echo mine > /tmp/own && cat /tmp/own; echo home=$HOME tmpdir=$TMPDIR"));
            var exited = await master.ExitedAsync(allocation);

            var lines = TaskLines(master, allocation);
            Assert.Equal(0, exited.Event.ExitCode);
            var uid = int.Parse(Assert.Single(lines, l => l.StartsWith("uid=", StringComparison.Ordinal))["uid=".Length..].Trim(), CultureInfo.InvariantCulture);
            Assert.NotEqual(0, uid);
            foreach (var hidden in new[] { token, rootSecret, "/etc/shadow", secrets, agent.WorkDir, hostTmp, "/root" })
                Assert.Contains($"hidden {hidden}\n", lines);
            Assert.Contains("mine\n", lines);
            Assert.Contains("home=/run/determined/workdir tmpdir=/tmp\n", lines);
            Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "own")), "the task's /tmp is its own");
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
            File.Delete(rootSecret);
            File.Delete(hostTmp);
        }
    }

    [SkippableFact]
    public async Task Launch_ShowsBindMountsReadOnlyWhereAsked_AndLetsTheTaskWriteItsStorage_OwnedByTheTaskUser()
    {
        SkipUnlessRoot();
        var data = Directory.CreateTempSubdirectory("det-data-").FullName;
        var storage = Path.Combine(Directory.CreateTempSubdirectory("det-storage-parent-").FullName, "checkpoints");
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.GetDirectoryName(storage)!, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(data, "in.txt"), "input\n");
        try
        {
            await using var master = await FakeMaster.StartAsync();
            await using var agent = await AgentUnderTest.StartAsync(master);
            var allocation = AgentUnderTest.NewAllocationId();

            master.Enqueue(AgentUnderTest.Shell(allocation,
                $"cat /data/in.txt; touch /data/new 2>/dev/null && echo data-writable || echo data-read-only; "
                + $"mkdir {storage}/ckpt && echo saved > {storage}/ckpt/state && echo storage-written")
                with { Mounts = [new TaskMount(data, "/data", ReadOnly: true), new TaskMount(storage, storage, CheckpointStorage: true)] });
            var exited = await master.ExitedAsync(allocation);

            var lines = TaskLines(master, allocation);
            Assert.Equal(0, exited.Event.ExitCode);
            Assert.Equal(["input\n", "data-read-only\n", "storage-written\n"], lines);
            Assert.Equal("saved\n", await File.ReadAllTextAsync(Path.Combine(storage, "ckpt", "state")));
            Assert.NotEqual(0u, Libc.Owner(Path.Combine(storage, "ckpt", "state")));
            Assert.True(File.GetUnixFileMode(storage).HasFlag(UnixFileMode.StickyBit));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
            Directory.Delete(Path.GetDirectoryName(storage)!, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task End_KillsADaemonTheTaskStartedWithSetsid_WhenTheTaskExitsOrIsKilled(bool killed)
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();
        var seconds = UniqueSeconds();

        master.Enqueue(AgentUnderTest.Shell(allocation, $"setsid sleep {seconds} </dev/null >/dev/null 2>&1 & echo started; while [ ! -f stop ]; do sleep 0.05; done"));
        await master.LineAsync(allocation, "started");
        var daemon = await Processes.SingleAsync("sleep", seconds);
        if (killed)
            master.Enqueue(kill: new KillCommand(allocation, Graceful: false));
        else
            await File.WriteAllTextAsync(Path.Combine(agent.WorkDir, allocation, "stop"), "");
        var exited = await master.ExitedAsync(allocation);

        Assert.Equal(killed ? 128 + 9 : 0, exited.Event.ExitCode);
        await Eventually.TrueAsync(() => !Processes.IsAlive(daemon), $"the setsid daemon {daemon} to end with its task");
    }

    [SkippableFact]
    public async Task Launch_IsKilledByTheKernelWithAClearLine_WhenItExceedsItsMemoryLimit()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        // tail holds a line with no newline whole in memory: 1 GiB of zeros against a 64 MiB limit.
        master.Enqueue(AgentUnderTest.Shell(allocation, "head -c 1G /dev/zero | tail > /dev/null; echo survived")
            with { Limits = new TaskLimits(MemoryBytes: 64L << 20) });
        var exited = await master.ExitedAsync(allocation);

        const string Line = "the task was killed by the kernel: out of memory (memory limit 64 MiB, resources.memory_limit)";
        Assert.Equal(Line, exited.Event.Message);
        Assert.Contains(master.LogsOf(allocation), l => l is { Source: "agent" } && l.Log == Line + "\n");
    }

    [SkippableFact]
    public async Task Launch_StopsAForkBombAtThePidsLimit_AndTheAgentRunsTheNextTask()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var bomb = AgentUnderTest.NewAllocationId();

        // A subshell forks children that stay until fork fails (which ends it); the outer shell then reports with builtins
        // only, as the children still hold every pid.
        master.Enqueue(AgentUnderTest.Shell(bomb,
            "(n=0; while [ $n -lt 1000 ]; do sleep 300 & n=$((n+1)); echo $n > count; done) 2>/dev/null; read n < count; echo started=$n")
            with { Limits = new TaskLimits(Pids: 32) });
        var line = await master.LineAsync(bomb, "started=");
        var started = int.Parse(line.Log.Trim()["started=".Length..], CultureInfo.InvariantCulture);
        await master.ExitedAsync(bomb);
        var next = AgentUnderTest.NewAllocationId();
        master.Enqueue(AgentUnderTest.Shell(next, "echo fine"));
        var exited = await master.ExitedAsync(next);

        Assert.InRange(started, 1, 31);
        Assert.Equal(0, exited.Event.ExitCode);
        Assert.Contains(master.LogsOf(next), l => l.Log == "fine\n");
    }

    [SkippableFact]
    public async Task Launch_RunsTheStartupHookBeforeTheEntrypoint_AndFailsWithItsOutput_WhenTheHookFails()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var ok = AgentUnderTest.NewAllocationId();
        var failing = AgentUnderTest.NewAllocationId();
        static ModelDefinitionSource Hook(string script) =>
            new(TarGzBase64: Convert.ToBase64String(ModelDefinitionTests.TarGz(("startup-hook.sh", script))));

        master.Enqueue(AgentUnderTest.Shell(ok, "cat hooked", modelDefinition: Hook("echo from-hook; echo yes > hooked")));
        master.Enqueue(AgentUnderTest.Shell(failing, "echo entrypoint-ran", modelDefinition: Hook("echo hook-broke >&2; exit 4")));
        var okExit = await master.ExitedAsync(ok);
        var failed = await master.ExitedAsync(failing);

        Assert.Equal(0, okExit.Event.ExitCode);
        Assert.Equal(["from-hook\n", "yes\n"], TaskLines(master, ok));
        Assert.Equal(4, failed.Event.ExitCode);
        var failedLines = TaskLines(master, failing);
        Assert.Contains("hook-broke\n", failedLines);
        Assert.Contains("startup-hook.sh failed with exit code 4; the task's entrypoint did not run\n", failedLines);
        Assert.DoesNotContain("entrypoint-ran\n", failedLines);
    }

    [SkippableFact]
    public async Task Launch_IsRefused_WhenItWouldRunAsRoot()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);
        var allocation = AgentUnderTest.NewAllocationId();

        master.Enqueue(AgentUnderTest.Shell(allocation, "echo should not run") with { RunAs = new TaskUser(0, 0, "root") });
        var exited = await master.ExitedAsync(allocation);

        Assert.Null(exited.Event.ExitCode);
        Assert.Contains("would run as root (uid 0, root)", exited.Event.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(master.LogsOf(allocation), l => l.Log == "should not run\n");
    }

    [Fact]
    public async Task Start_IsRefusedNamingWhatIsMissing_WhenBubblewrapIsNotThere_UnlessUnsandboxed()
    {
        await using var master = await FakeMaster.StartAsync();
        var nowhere = "/nonexistent/bwrap-" + Guid.NewGuid().ToString("N");

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["bwrap_path"] = nowhere }));
        await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["bwrap_path"] = nowhere, ["unsandboxed"] = "true" });
        var registration = await Eventually.GetAsync(() => master.RegistrationAt(0), "the unsandboxed agent's registration");

        var failure = Assert.Single(refused.Failures);
        Assert.Contains($"bwrap_path '{nowhere}' does not exist", failure, StringComparison.Ordinal);
        Assert.Contains("--unsandboxed", failure, StringComparison.Ordinal);
        Assert.False(registration.Sandboxed);
    }

    [SkippableFact]
    public async Task Register_SaysSandboxed_WhenTheAgentRunsTasksInTheSandbox()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(master);

        var registration = await Eventually.GetAsync(() => master.RegistrationAt(0), "the agent's registration");

        Assert.True(registration.Sandboxed);
    }

    [SkippableFact]
    public async Task Start_KillsProcessesLeftInItsTaskCgroupsByAPreviousRun_AndRemovesTheCgroups()
    {
        SkipUnlessRoot();
        await using var master = await FakeMaster.StartAsync();
        var agentId = "agent-" + Guid.NewGuid().ToString("N")[..8];
        var hierarchy = CgroupHierarchy.Detect(agentId, out var missing) ?? throw new InvalidOperationException(missing);
        var leftover = hierarchy.Create("1.left.1.0", null, null);
        var seconds = UniqueSeconds();
        using var orphan = System.Diagnostics.Process.Start("/bin/sh",
            ["-c", "for f; do echo $$ > \"$f\"; done; exec sleep " + seconds, "sh", .. leftover.ProcsFiles]);
        var pid = await Processes.SingleAsync("sleep", seconds);
        await Eventually.TrueAsync(() => leftover.Pids().Contains(pid), "the orphan in its cgroup");

        await using var agent = await AgentUnderTest.StartAsync(master, new Dictionary<string, string?> { ["agent_id"] = agentId });
        await Eventually.GetAsync(() => master.RegistrationAt(0), "the agent's registration");

        Assert.False(Processes.IsAlive(pid), "the leftover process is killed before the agent registers");
        Assert.Empty(hierarchy.Leftovers());
    }

    private static List<string> TaskLines(FakeMaster master, string allocation) =>
        [.. master.LogsOf(allocation).Where(l => l.Source == "task").Select(l => l.Log)];

    private static string UniqueSeconds() => (100_000 + (Guid.NewGuid().GetHashCode() & 0x7ffff)).ToString(CultureInfo.InvariantCulture);

    private static void SkipUnlessRoot() =>
        Skip.If(Libc.GetEuid() != 0, "the sandbox tests run as root (the agent sandboxes tasks only as root)");
}
