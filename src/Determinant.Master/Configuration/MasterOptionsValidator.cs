using System.Net;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Configuration;

/// <summary>Checks the settings at start; each message names the key, the value and the rule.</summary>
internal sealed class MasterOptionsValidator : IValidateOptions<MasterOptions>
{
    public ValidateOptionsResult Validate(string? name, MasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
            failures.Add($"port: {options.Port} must be between 0 and 65535");
        if (options.Db is not ("sqlite" or "postgres"))
            failures.Add($"db: '{options.Db}' must be 'sqlite' or 'postgres'");
        if (options.Db == "postgres" && string.IsNullOrWhiteSpace(options.DbUrl))
            failures.Add("db_url: must be set (a PostgreSQL connection string) when db is 'postgres'");
        if (string.IsNullOrWhiteSpace(options.DataDir))
            failures.Add("data_dir: must not be empty");
        if (options.InitialPassword is { Length: 0 })
            failures.Add("initial_password: must not be empty; leave it unset to have one generated");
        if (!IPAddress.TryParse(options.ListenAddress, out _))
            failures.Add($"listen_address: '{options.ListenAddress}' must be an IP address such as 127.0.0.1, 0.0.0.0 or ::");
        if (options.ModelDefinitionLimitMib is < 1 or > 1024)
            failures.Add($"model_definition_limit_mib: {options.ModelDefinitionLimitMib} must be between 1 and 1024");
        if (options.MaxTrialsPerExperiment is < 1 or > 1_000_000)
            failures.Add($"max_trials_per_experiment: {options.MaxTrialsPerExperiment} must be between 1 and 1000000");
        if (options.ModelCompileStackMib is < 1 or > 1024)
            failures.Add($"model_compile_stack_mib: {options.ModelCompileStackMib} must be between 1 and 1024");
        if (options.ModelCompileTimeoutSeconds is < 1 or > 3600)
            failures.Add($"model_compile_timeout_seconds: {options.ModelCompileTimeoutSeconds} must be between 1 and 3600");
        if (options.ModelCompileMemoryMib is < 256 or > 65_536)
            failures.Add($"model_compile_memory_mib: {options.ModelCompileMemoryMib} must be between 256 and 65536");
        if (options.TokenLifetimeHours < 1)
            failures.Add($"token_lifetime_hours: {options.TokenLifetimeHours} must be at least 1");
        if (options.LoginFailuresPerAccount < 1)
            failures.Add($"login_failures_per_account: {options.LoginFailuresPerAccount} must be at least 1");
        if (options.LoginFailuresPerAddress < 1)
            failures.Add($"login_failures_per_address: {options.LoginFailuresPerAddress} must be at least 1");
        if (options.LoginFailureWindowSeconds is < 1 or > 86_400)
            failures.Add($"login_failure_window_seconds: {options.LoginFailureWindowSeconds} must be between 1 and 86400");
        if (options.AgentHeartbeatSeconds is < 1 or > 300)
            failures.Add($"agent_heartbeat_seconds: {options.AgentHeartbeatSeconds} must be between 1 and 300");
        if (options.TensorboardTimeoutSeconds < 1)
            failures.Add($"tensorboard_timeout: {options.TensorboardTimeoutSeconds} must be at least 1 (seconds)");
        if (options.AgentTimeoutSeconds < 1)
            failures.Add($"agent_timeout_seconds: {options.AgentTimeoutSeconds} must be at least 1");
        if (options.MasterUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            failures.Add($"master_url: '{url}' must be an absolute URL such as http://master:8080");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
