namespace Determinant.Agent.Hosting;

/// <summary>The agent's flags and the configuration keys they set.</summary>
internal static class CommandLineSwitches
{
    /// <summary>Flags that take no value (<c>--unsandboxed</c>); <see cref="Normalize"/> gives them <c>true</c>.</summary>
    private static readonly HashSet<string> Switches = new(StringComparer.Ordinal) { "--unsandboxed" };

    /// <summary>The arguments with a value-less switch (<c>--unsandboxed</c> not followed by true/false) made <c>--unsandboxed=true</c>.</summary>
    public static string[] Normalize(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var next = i + 1 < args.Length ? args[i + 1] : null;
            result.Add(Switches.Contains(args[i]) && next is not ("true" or "false") ? args[i] + "=true" : args[i]);
        }
        return [.. result];
    }

    public static Dictionary<string, string> Mappings { get; } = new(StringComparer.Ordinal)
    {
        ["--master"] = "master",
        ["--agent-id"] = "agent_id",
        ["--slots"] = "slots",
        ["--work-dir"] = "work_dir",
        ["--token-file"] = "token_file",
        ["--resource-pool"] = "resource_pool",
        ["--kill-grace-seconds"] = "kill_grace_seconds",
        ["--sdk-dir"] = "sdk_dir",
        ["--jupyter-path"] = "jupyter_path",
        ["--unsandboxed"] = "unsandboxed",
        ["--task-user"] = "task_user",
        ["--bwrap-path"] = "bwrap_path",
    };
}
