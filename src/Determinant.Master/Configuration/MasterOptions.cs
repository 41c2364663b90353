using Determinant.Master.Configuration;
using Microsoft.Extensions.Configuration;

namespace Determinant.Master.Configuration;

/// <summary>
/// The master's settings: appsettings.json, then <c>DET_</c> environment variables (<c>DET_DATA_DIR</c>), then
/// command-line flags (<c>--data-dir</c>). Keys are snake_case as in Determined's master.yaml.
/// </summary>
internal sealed class MasterOptions
{
    [ConfigurationKeyName("port")] public int Port { get; set; } = 8080;

    /// <summary>
    /// The address to listen on; 0.0.0.0 (every interface) because a master serves agents and users on other machines.
    /// <c>det deploy local cluster-up</c>, a single machine's cluster, passes 127.0.0.1 unless told otherwise.
    /// </summary>
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

    /// <summary>The most trials one experiment may ask for: <c>max_trials</c>, <c>population_size</c>, grid points.</summary>
    [ConfigurationKeyName("max_trials_per_experiment")] public int MaxTrialsPerExperiment { get; set; } = Config.ConfigLimits.DefaultMaxTrials;

    /// <summary>The stack of the compiler's threads in the compile worker, in MiB; a model definition nested deeper gets a 400.</summary>
    [ConfigurationKeyName("model_compile_stack_mib")] public int ModelCompileStackMib { get; set; } = 16;

    /// <summary>How long compiling one model definition may take before the compile worker is killed and the submit gets a 400.</summary>
    [ConfigurationKeyName("model_compile_timeout_seconds")] public int ModelCompileTimeoutSeconds { get; set; } = 60;

    /// <summary>The compile worker's heap limit in MiB; a model definition that needs more gets a 400.</summary>
    [ConfigurationKeyName("model_compile_memory_mib")] public int ModelCompileMemoryMib { get; set; } = 2048;

    [ConfigurationKeyName("token_lifetime_hours")] public int TokenLifetimeHours { get; set; } = 24 * 7;

    /// <summary>Wrong passwords one account may be given per <see cref="LoginFailureWindowSeconds"/>; then 429.</summary>
    [ConfigurationKeyName("login_failures_per_account")] public int LoginFailuresPerAccount { get; set; } = 10;

    /// <summary>Wrong passwords one client address (an IPv6 /64) may send per <see cref="LoginFailureWindowSeconds"/>; then 429.</summary>
    [ConfigurationKeyName("login_failures_per_address")] public int LoginFailuresPerAddress { get; set; } = 30;

    /// <summary>The window of both login limits, opened by a key's first failure.</summary>
    [ConfigurationKeyName("login_failure_window_seconds")] public int LoginFailureWindowSeconds { get; set; } = 60;

    /// <summary>Where <c>shared_fs</c> checkpoints go when a config names no <c>checkpoint_storage</c>; default <c>&lt;data_dir&gt;/checkpoints</c>.</summary>
    [ConfigurationKeyName("checkpoint_dir")] public string? CheckpointDir { get; set; }


    /// <summary>The master's URL as tasks reach it (<c>DET_MASTER</c>); default <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    [ConfigurationKeyName("master_url")] public string? MasterUrl { get; set; }

    /// <summary>The harness runner's build output (<c>determinant-harness.dll</c>); default <c>&lt;repo&gt;/.det-build/harness</c>.</summary>
    [ConfigurationKeyName("harness_dir")] public string? HarnessDir { get; set; }

    /// <summary>The <c>timeout_seconds</c> agents hold their command polls for.</summary>
    [ConfigurationKeyName("agent_heartbeat_seconds")] public int AgentHeartbeatSeconds { get; set; } = 30;

    /// <summary>After this long without a command poll an agent is lost and its allocations are rescheduled.</summary>
    [ConfigurationKeyName("agent_timeout_seconds")] public int AgentTimeoutSeconds { get; set; } = 60;

    /// <summary>A TensorBoard's <c>idle_timeout</c> when its config gives none (REFERENCE.md §7.5): 300 s.</summary>
    [ConfigurationKeyName("tensorboard_timeout")] public int TensorboardTimeoutSeconds { get; set; } = 300;

    public string SqlitePath => Path.Combine(DataDir, "determinant.db");


    public string CompiledModelDir => Path.Combine(DataDir, "compiled");

    public string HarnessDirectory => HarnessDir ?? HarnessLocation.Default();

    public string DefaultCheckpointDir => CheckpointDir ?? Path.Combine(DataDir, "checkpoints");
}
