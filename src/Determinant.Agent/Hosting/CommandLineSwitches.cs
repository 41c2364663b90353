namespace Determinant.Agent.Hosting;

/// <summary>The agent's flags and the configuration keys they set.</summary>
internal static class CommandLineSwitches
{
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
    };
}
