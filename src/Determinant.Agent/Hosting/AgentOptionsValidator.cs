using Microsoft.Extensions.Options;

namespace Determinant.Agent.Hosting;

/// <summary>Checks the settings at start; each message names the key, the value and the rule.</summary>
internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Master, UriKind.Absolute, out var master) || master.Scheme is not ("http" or "https"))
            failures.Add($"master: '{options.Master}' must be an absolute http:// or https:// URL");
        if (options.ResolvedAgentId.Contains('/', StringComparison.Ordinal))
            failures.Add($"agent_id: '{options.ResolvedAgentId}' must not contain '/'");
        if (options.Slots is < 0 or > 4096)
            failures.Add($"slots: {options.Slots} must be between 0 and 4096");
        if (string.IsNullOrWhiteSpace(options.WorkDir))
            failures.Add("work_dir: must not be empty");
        if (string.IsNullOrEmpty(options.AgentToken) && string.IsNullOrEmpty(options.TokenFile))
            failures.Add("agent_token: set it (DET_AGENT_TOKEN) or token_file (--token-file, the master's <data_dir>/agent_token)");
        else if (string.IsNullOrEmpty(options.AgentToken) && !File.Exists(options.TokenFile))
            failures.Add($"token_file: '{options.TokenFile}' does not exist");
        if (!string.IsNullOrEmpty(options.SdkDir) && !Directory.Exists(options.SdkDir))
            failures.Add($"sdk_dir: '{options.SdkDir}' is not a directory");
        foreach (var directory in (options.JupyterPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Where(d => !Directory.Exists(d)))
            failures.Add($"jupyter_path: '{directory}' is not a directory");
        if (options.KillGraceSeconds is < 0 or > 3600)
            failures.Add($"kill_grace_seconds: {options.KillGraceSeconds} must be between 0 and 3600");
        if (options.LogBufferLines < 1 || options.LogBatchLines < 1)
            failures.Add($"log_buffer_lines, log_batch_lines: {options.LogBufferLines}, {options.LogBatchLines} must be at least 1");
        if (options.RetryMinMilliseconds < 1 || options.RetryMaxMilliseconds < options.RetryMinMilliseconds)
            failures.Add($"retry_min_ms, retry_max_ms: {options.RetryMinMilliseconds}, {options.RetryMaxMilliseconds} must be positive, min ≤ max");
        if (!string.IsNullOrWhiteSpace(options.TaskMemoryLimit) && options.TaskMemoryLimitBytes is null)
            failures.Add($"task_memory_limit: '{options.TaskMemoryLimit}' must be a positive byte count, optionally with a unit (512Mi, 8Gi)");
        if (options.TaskPidsLimit is < 16 or > 4_194_304)
            failures.Add($"task_pids_limit: {options.TaskPidsLimit} must be between 16 and 4194304");
        foreach (var path in options.SandboxReadOnlyPaths.Where(p => !Path.IsPathFullyQualified(p) || !Path.Exists(p)))
            failures.Add($"sandbox_read_only_paths: '{path}' must be an absolute path that exists");
        if (!options.Unsandboxed && failures.Count == 0)
        {
            foreach (var missing in Sandbox.SandboxSupport.Missing(options))
                failures.Add($"sandbox: {missing}; {Sandbox.SandboxSupport.Advice}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
