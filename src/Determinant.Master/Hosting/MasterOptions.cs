using Microsoft.Extensions.Configuration;

namespace Determinant.Master.Hosting;

/// <summary>
/// The master's settings: appsettings.json, then <c>DET_</c> environment variables (<c>DET_DATA_DIR</c>), then
/// command-line flags (<c>--data-dir</c>). Keys are snake_case as in Determined's master.yaml.
/// </summary>
internal sealed class MasterOptions
{
    [ConfigurationKeyName("port")] public int Port { get; set; } = 8080;

    /// <summary>The address to listen on; 0.0.0.0 for every interface.</summary>
    [ConfigurationKeyName("listen_address")] public string ListenAddress { get; set; } = "0.0.0.0";

    [ConfigurationKeyName("data_dir")] public string DataDir { get; set; } = "/var/lib/determinant";

    /// <summary><c>sqlite</c> (a file in <see cref="DataDir"/>) or <c>postgres</c> (needs <see cref="DbUrl"/>).</summary>
    [ConfigurationKeyName("db")] public string Db { get; set; } = "sqlite";

    /// <summary>A connection string; for SQLite it overrides the file in <see cref="DataDir"/>.</summary>
    [ConfigurationKeyName("db_url")] public string? DbUrl { get; set; }

    /// <summary>Password of the built-in users on first start; generated when not given.</summary>
    [ConfigurationKeyName("initial_password")] public string? InitialPassword { get; set; }

    [ConfigurationKeyName("cluster_name")] public string ClusterName { get; set; } = "determinant";

    /// <summary>Largest accepted model definition, all files together.</summary>
    [ConfigurationKeyName("model_definition_limit_mib")] public int ModelDefinitionLimitMib { get; set; } = 95;

    [ConfigurationKeyName("token_lifetime_hours")] public int TokenLifetimeHours { get; set; } = 24 * 7;

    /// <summary>Where <c>shared_fs</c> checkpoints go when a config names no <c>checkpoint_storage</c>; default <c>&lt;data_dir&gt;/checkpoints</c>.</summary>
    [ConfigurationKeyName("checkpoint_dir")] public string? CheckpointDir { get; set; }

    public string SqlitePath => Path.Combine(DataDir, "determinant.db");

    public string DefaultCheckpointDir => CheckpointDir ?? Path.Combine(DataDir, "checkpoints");
}
