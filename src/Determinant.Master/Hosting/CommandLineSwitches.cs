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
        ["--checkpoint-dir"] = "checkpoint_dir",
    };
}
