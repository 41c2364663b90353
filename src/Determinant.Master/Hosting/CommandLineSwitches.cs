namespace Determinant.Master.Hosting;

/// <summary>The master's flags and the configuration keys they set.</summary>
internal static class CommandLineSwitches
{
    public static Dictionary<string, string> Mappings { get; } = new(StringComparer.Ordinal)
    {
        ["--port"] = "port",
        ["--listen-address"] = "listen_address",
        ["--data-dir"] = "data_dir",
        ["--db"] = "db",
        ["--db-url"] = "db_url",
        ["--initial-password"] = "initial_password",
        ["--cluster-name"] = "cluster_name",
        ["--model-definition-limit-mib"] = "model_definition_limit_mib",
        ["--max-trials-per-experiment"] = "max_trials_per_experiment",
        ["--model-compile-stack-mib"] = "model_compile_stack_mib",
        ["--model-compile-timeout-seconds"] = "model_compile_timeout_seconds",
        ["--model-compile-memory-mib"] = "model_compile_memory_mib",
        ["--checkpoint-dir"] = "checkpoint_dir",
        ["--master-url"] = "master_url",
        ["--harness-dir"] = "harness_dir",
        ["--agent-heartbeat-seconds"] = "agent_heartbeat_seconds",
        ["--agent-timeout-seconds"] = "agent_timeout_seconds",
    };
}
