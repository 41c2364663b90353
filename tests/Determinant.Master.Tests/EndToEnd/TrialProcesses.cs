using System.Globalization;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>Finds a trial's process on this machine by its environment (<c>DET_TRIAL_ID</c>), through /proc.</summary>
public static class TrialProcesses
{
    /// <summary>
    /// The pid of the harness process that <paramref name="agent"/> runs for the trial whose allocation id ends with
    /// <paramref name="allocationSuffix"/>; 0 when none. Matching on the agent's work dir keeps tests that run side by
    /// side (each with its own master, whose trial ids also start at 1) from finding each other's processes. A sandboxed
    /// task sees its directory elsewhere, so this finds the process outside the sandbox (bubblewrap's, started in the
    /// agent's directory), whose death takes the sandbox and the trial with it.
    /// </summary>
    public static int Find(AgentProcess agent, string allocationSuffix, int trialId) =>
        Matching([agent], env => env.Contains($"DET_TRIAL_ID={trialId}")
            && env.Any(e => e.StartsWith("DET_ALLOCATION_ID=", StringComparison.Ordinal) && e.EndsWith(allocationSuffix, StringComparison.Ordinal))).Pid;

    /// <summary>The pid of the harness worker of <paramref name="rank"/> for the trial, the agent that runs it and its environment; pid 0 when none.</summary>
    public static (int Pid, AgentProcess? Agent, string[] Env) FindWorker(IReadOnlyList<AgentProcess> agents, int trialId, int rank) =>
        Matching(agents, env => env.Contains($"DET_TRIAL_ID={trialId}") && env.Contains($"RANK={rank}"));

    /// <summary>The first harness process started in one of <paramref name="agents"/>' work dirs whose environment passes <paramref name="matches"/>.</summary>
    private static (int Pid, AgentProcess? Agent, string[] Env) Matching(IReadOnlyList<AgentProcess> agents, Func<string[], bool> matches)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("determinant-harness.dll", StringComparison.Ordinal))
                    continue;
                var env = File.ReadAllText(Path.Combine(dir, "environ")).Split('\0');
                var cwd = new DirectoryInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (matches(env) && agents.FirstOrDefault(a => cwd.StartsWith(a.WorkDir + "/", StringComparison.Ordinal)) is { } agent)
                    return (pid, agent, env);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended or is not ours.
            }
        }
        return (0, null, []);
    }
}
