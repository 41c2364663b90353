using System.Diagnostics;
using System.Net.Http.Json;
using Determinant.Master.Tests.Integration;

namespace Determinant.HostileTenant.Tests;

/// <summary>
/// Mallory's own tasks try to break out: read the agent's credential, the master's database and /etc/shadow as root,
/// leave a daemon behind, and eat the machine's memory. The sandbox stops each, and Alice's command runs on.
/// </summary>
[Collection(TenantClusterGroup.Name)]
public sealed class SandboxAttackTests(TenantCluster tenant)
{
    /// <summary>Runs a shell script as a command of Mallory's; returns its log text once it has ended.</summary>
    private async Task<string> RunAsMalloryAsync(string script, string? configYaml = null, int seconds = 90)
    {
        var created = await tenant.Mallory.PostOkAsync("/api/v1/commands", new { configYaml, entrypoint = new[] { "sh", "-c", script } });
        var id = (string)created["command"]!["id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while ((string)(await tenant.Mallory.GetJsonAsync($"/api/v1/commands/{id}"))["command"]!["state"]! != "STATE_TERMINATED")
        {
            Assert.True(DateTime.UtcNow < deadline, $"mallory's command did not end within {seconds} s; " + tenant.Cluster.Output);
            await Task.Delay(100);
        }
        return await (await tenant.Mallory.GetAsync($"/api/v1/tasks/{id}/logs")).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task AMalloryTask_RunsUnprivileged_AndSeesNoneOfTheAgentsOrTheMastersSecrets()
    {
        var credential = tenant.Cluster.Agent.CredentialFile;
        var database = Path.Combine(tenant.Cluster.Master.DataDir, "determinant.db");
        var script = $"echo uid=$(id -u); for f in /etc/shadow {credential} {database}; do if cat $f >/dev/null 2>&1; then echo READ $f; "
            + "else echo DENIED $f; fi; done; ls /root >/dev/null 2>&1 && echo READ /root || echo DENIED /root";

        var logs = await RunAsMalloryAsync(script);

        Assert.DoesNotContain("uid=0", logs, StringComparison.Ordinal);
        Assert.Contains("uid=", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("READ ", logs, StringComparison.Ordinal);
        Assert.Contains("DENIED /etc/shadow", logs, StringComparison.Ordinal);
        Assert.Contains($"DENIED {database}", logs, StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task ADaemonMalloryLeavesBehind_IsGoneWhenHerTaskEnds()
    {
        var marker = "det-hostile-daemon-" + Guid.NewGuid().ToString("N")[..8];

        var logs = await RunAsMalloryAsync($"cp /bin/sleep /tmp/{marker} && setsid /tmp/{marker} 600 </dev/null >/dev/null 2>&1 & sleep 0.2; echo started daemon");

        Assert.Contains("started daemon", logs, StringComparison.Ordinal);
        var survivors = Process.GetProcesses().Where(p => ReadCmdline(p.Id).Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Empty(survivors);
        await tenant.AssertUnharmedAsync();
    }

    [Fact]
    public async Task AMemoryHog_IsKilledAtItsLimit_WithTheReasonAndTheLimitInItsLogs()
    {
        var logs = await RunAsMalloryAsync("python3 -c 'x = bytearray(1 << 30); print(\"survived\")'", "resources:\n  memory_limit: 128Mi\n");

        Assert.DoesNotContain("survived", logs, StringComparison.Ordinal);
        Assert.Contains("out of memory (memory limit 128 MiB, resources.memory_limit)", logs, StringComparison.Ordinal);
        await tenant.AssertUnharmedAsync();
    }

    private static string ReadCmdline(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
