using System.Diagnostics;
using Determinant.Agent.Hosting;

namespace Determinant.Agent.Sandbox;

/// <summary>
/// Whether this machine can sandbox tasks, checked before the agent starts: root, bubblewrap (<c>bwrap_path</c>) and
/// setpriv, mount and pid namespaces (one trial run of bwrap), and cgroups with memory and pids controllers.
/// </summary>
internal static class SandboxSupport
{
    public const string Advice = "start the agent with --unsandboxed (unsandboxed: true) to run tasks without isolation";

    /// <summary>The programs, or null where one is missing (<paramref name="missing"/> gets why).</summary>
    public static SandboxPrograms? Programs(AgentOptions options, List<string> missing)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(missing);
        var bwrap = string.IsNullOrEmpty(options.BwrapPath) ? Slots.SlotDiscovery.FindOnPath("bwrap")
            : File.Exists(options.BwrapPath) ? Path.GetFullPath(options.BwrapPath) : null;
        if (bwrap is null)
            missing.Add($"bubblewrap: {(string.IsNullOrEmpty(options.BwrapPath) ? "bwrap is not on PATH" : $"bwrap_path '{options.BwrapPath}' does not exist")} (apt-get install bubblewrap)");
        var setpriv = Slots.SlotDiscovery.FindOnPath("setpriv");
        if (setpriv is null)
            missing.Add("setpriv: not on PATH (apt-get install util-linux)");
        var env = Slots.SlotDiscovery.FindOnPath("env") ?? "/usr/bin/env";
        var shell = File.Exists("/bin/sh") ? "/bin/sh" : Slots.SlotDiscovery.FindOnPath("sh");
        if (shell is null)
            missing.Add("sh: no /bin/sh");
        return bwrap is null || setpriv is null || shell is null ? null : new SandboxPrograms(env, bwrap, setpriv, shell);
    }

    /// <summary>What is missing to sandbox tasks; empty when nothing is.</summary>
    public static IReadOnlyList<string> Missing(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var missing = new List<string>();
        if (Libc.GetEuid() != 0)
            missing.Add("root: the agent runs unprivileged; the sandbox needs root (bubblewrap binds host directories, the task switches to its own user)");
        if (Programs(options, missing) is { } programs && missing.Count == 0)
        {
            if (TryNamespaces(programs.Bwrap) is { } failure)
                missing.Add($"namespaces: bwrap cannot make mount and pid namespaces here: {failure}");
        }
        if (missing.Count == 0)
        {
            CgroupHierarchy.Detect(options.ResolvedAgentId, out var cgroups);
            if (cgroups is not null)
                missing.Add(cgroups);
        }
        return missing;
    }

    private static string? TryNamespaces(string bwrap)
    {
        var start = new ProcessStartInfo(bwrap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--ro-bind", "/", "/", "--proc", "/proc", "--unshare-pid", "--unshare-ipc", "--", "/bin/true" })
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : error.Trim();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return e.Message;
        }
    }
}
