using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Determinant.Config.Binding;

/// <summary>Reads the small sections about how trials run: <c>reproducibility</c>, <c>log_policies</c> and <c>profiling</c>.</summary>
internal static class RuntimeSectionsBinder
{
    private static readonly FrozenSet<string> ReproducibilityKeys = FrozenSet.Create(StringComparer.Ordinal, "experiment_seed");
    private static readonly FrozenSet<string> LogPolicyKeys = FrozenSet.Create(StringComparer.Ordinal, "pattern", "action");
    private static readonly FrozenSet<string> ActionKeys = FrozenSet.Create(StringComparer.Ordinal, "type");
    private static readonly FrozenSet<string> ProfilingKeys = FrozenSet.Create(StringComparer.Ordinal, "enabled", "begin_on_batch", "end_after_batch", "sync_timings");
    private static readonly (string, LogPolicyAction)[] Actions = [("cancel_retries", LogPolicyAction.CancelRetries), ("exclude_node", LogPolicyAction.ExcludeNode)];

    public static uint? ExperimentSeed(Section section, BindContext context)
    {
        section.RejectUnknown(ReproducibilityKeys);
        var seed = (uint?)section.Integer("experiment_seed", min: 0, max: uint.MaxValue);
        if (seed is not null || section.Has("experiment_seed"))
            return seed;
        if (context.DefaultSeed is { } now)
            return now();
        context.Diagnostics.Error(section.Path, "experiment_seed is required");
        return null;
    }

    public static ImmutableArray<LogPolicy> LogPolicies(JsonArray? list, string path, ConfigDiagnostics diagnostics)
    {
        if (list is null)
            return [];
        var policies = ImmutableArray.CreateBuilder<LogPolicy>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var policy = Section.Of(list[i] ?? new JsonObject(), $"{path}[{i}]", diagnostics);
            if (!policy.IsPresent)
                continue;
            policy.RejectUnknown(LogPolicyKeys);
            var pattern = policy.String("pattern", required: true);
            if (pattern is not null && !IsRegex(pattern))
            {
                diagnostics.Error(policy.PathOf("pattern"), $"\"{pattern}\" is not a valid regular expression");
                pattern = null;
            }
            var action = Action(policy);
            if (pattern is not null && action is not null)
                policies.Add(new LogPolicy(pattern, action.Value));
        }
        return policies.DrainToImmutable();
    }

    public static ProfilingConfig Profiling(Section section)
    {
        section.RejectUnknown(ProfilingKeys);
        var profiling = new ProfilingConfig
        {
            Enabled = section.Bool("enabled") ?? false,
            BeginOnBatch = section.Integer("begin_on_batch", min: 0) ?? 0,
            EndAfterBatch = section.Integer("end_after_batch", min: 0),
            SyncTimings = section.Bool("sync_timings") ?? true,
        };
        if (profiling.EndAfterBatch < profiling.BeginOnBatch)
            section.Diagnostics.Error(section.Path, "begin_on_batch must not be after end_after_batch");
        return profiling;
    }

    // Newer Determined writes the action as {type: ...}; both spellings mean the same.
    private static LogPolicyAction? Action(Section policy)
    {
        if (policy.Get("action") is JsonObject)
        {
            var action = policy.Object("action");
            action.RejectUnknown(ActionKeys);
            return action.Choice("type", Actions) ?? (action.Has("type") ? null : Missing(action, "type"));
        }
        return policy.Choice("action", Actions) ?? (policy.Has("action") ? null : Missing(policy, "action"));
    }

    private static LogPolicyAction? Missing(Section section, string key)
    {
        section.Missing(key);
        return null;
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
