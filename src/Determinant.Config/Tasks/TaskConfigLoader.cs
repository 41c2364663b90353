using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Determinant.Config.Binding;
using Determinant.Config.Parsing;

namespace Determinant.Config;

/// <summary>
/// Reads the YAML config of a notebook, TensorBoard or command (REFERENCE.md §7.5): unknown keys are refused with
/// their path, as in experiment configs; <c>--config KEY=VALUE</c> overrides set dotted keys to YAML scalars first.
/// </summary>
public static partial class TaskConfigLoader
{
    private const string Root = "<config>";

    /// <summary>Notebook idle types, the first the default.</summary>
    public static readonly IReadOnlyList<string> IdleTypes = ["kernels_or_terminals", "kernel_connections", "activity"];

    private static readonly FrozenSet<string> Keys = FrozenSet.Create(StringComparer.Ordinal,
        "description", "resources", "bind_mounts", "environment", "entrypoint", "idle_timeout", "notebook_idle_type", "work_dir", "debug");
    private static readonly FrozenSet<string> ResourceKeys = FrozenSet.Create(StringComparer.Ordinal, "slots", "resource_pool", "priority", "weight", "memory_limit", "pids_limit");
    private static readonly FrozenSet<string> EnvironmentKeys = FrozenSet.Create(StringComparer.Ordinal, "environment_variables", "image", "force_pull_image");

    /// <summary>The description of a task whose config gives none: <c>JupyterLab (&lt;petname&gt;)</c>, <c>TensorBoard (…)</c>, <c>Command (…)</c>.</summary>
    public static string DefaultDescription(TaskConfigKind kind, Random random) => kind switch
    {
        TaskConfigKind.Notebook => "JupyterLab",
        TaskConfigKind.Tensorboard => "TensorBoard",
        _ => "Command",
    } + $" ({Defaults.PetName.Generate(random)})";

    /// <summary>Loads <paramref name="yaml"/> (empty for the defaults) for a task of <paramref name="kind"/>.</summary>
    public static TaskConfigLoadResult Load(string yaml, TaskConfigKind kind, IReadOnlyList<string>? overrides = null)
    {
        var diagnostics = new ConfigDiagnostics();
        if (!YamlTreeReader.TryRead(yaml ?? "", Root, diagnostics, out var node))
            return new TaskConfigLoadResult(null, diagnostics.SortedErrors());
        if (node is not null and not JsonObject)
        {
            diagnostics.Error(Root, $"a task config must be a mapping, not {NodeValues.Describe(node)}");
            return new TaskConfigLoadResult(null, diagnostics.SortedErrors());
        }
        var tree = node as JsonObject ?? [];
        foreach (var setting in overrides ?? [])
            ApplyOverride(tree, setting, diagnostics);
        var config = Bind(new Section(tree, Root, diagnostics), kind);
        return diagnostics.HasErrors ? new TaskConfigLoadResult(null, diagnostics.SortedErrors()) : new TaskConfigLoadResult(config, []);
    }

    private static TaskConfig Bind(Section config, TaskConfigKind kind)
    {
        config.RejectUnknown(Keys);
        var resources = config.Object("resources");
        resources.RejectUnknown(ResourceKeys);
        var slots = resources.Int("slots", min: 0) ?? (kind == TaskConfigKind.Tensorboard ? 0 : 1);
        if (kind == TaskConfigKind.Tensorboard && slots != 0)
            config.Diagnostics.Error(resources.PathOf("slots"), "a TensorBoard uses no slot: resources.slots must be 0");
        var environment = config.Object("environment");
        environment.RejectUnknown(EnvironmentKeys);
        var idleType = config.String("notebook_idle_type") ?? IdleTypes[0];
        if (!IdleTypes.Contains(idleType))
            config.Diagnostics.Error(config.PathOf("notebook_idle_type"), $"must be one of {NodeValues.QuoteAll(IdleTypes)}, not \"{idleType}\"");
        var workDir = config.String("work_dir");
        if (workDir is not null && !workDir.StartsWith('/'))
            config.Diagnostics.Error(config.PathOf("work_dir"), $"work_dir must be an absolute path, not \"{workDir}\"");
        return new TaskConfig(
            config.String("description"), slots, resources.String("resource_pool"), resources.Int("priority", 1, 99),
            resources.Number("weight", min: 0, minExclusive: true),
            BindMountBinder.Bind(config.Array("bind_mounts"), config.PathOf("bind_mounts"), config.Diagnostics),
            Variables(environment, "environment_variables"), Entrypoint(config), IdleTimeout(config), idleType, workDir, config.Bool("debug") ?? false,
            TaskLimitsBinder.MemoryLimit(resources), TaskLimitsBinder.PidsLimit(resources));
    }

    private static IReadOnlyList<string>? Entrypoint(Section config) => config.Get("entrypoint") switch
    {
        null => null,
        JsonValue v when NodeValues.TryGetString(v, out var line) => [line],
        JsonArray => config.Strings("entrypoint"),
        var other => Refuse<IReadOnlyList<string>>(config, "entrypoint", $"must be a string or a list of strings, not {NodeValues.Describe(other)}"),
    };

    /// <summary><c>KEY=VALUE</c> lines, or a mapping of names to values; CPU and CUDA lists (<c>{cpu: […], cuda: […]}</c>) merge for tasks.</summary>
    private static Dictionary<string, string> Variables(Section environment, string key)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = environment.PathOf(key);
        void AddLines(JsonArray lines, string at)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                if (!NodeValues.TryGetString(lines[i], out var line) || line.IndexOf('=', StringComparison.Ordinal) <= 0)
                {
                    environment.Diagnostics.Error($"{at}[{i}]", $"must be a string KEY=VALUE, not {NodeValues.Describe(lines[i])}");
                    continue;
                }
                var split = line.IndexOf('=', StringComparison.Ordinal);
                variables[line[..split]] = line[(split + 1)..];
            }
        }
        switch (environment.Get(key))
        {
            case null:
                break;
            case JsonArray lines:
                AddLines(lines, path);
                break;
            case JsonObject byType when byType.All(p => p.Key is "cpu" or "cuda" or "rocm"):
                foreach (var (type, lines) in byType)
                {
                    if (lines is JsonArray list)
                        AddLines(list, $"{path}.{type}");
                    else
                        environment.Diagnostics.Error($"{path}.{type}", $"must be a list of KEY=VALUE strings, not {NodeValues.Describe(lines)}");
                }
                break;
            case var other:
                environment.Diagnostics.Error(path, $"must be a list of KEY=VALUE strings, not {NodeValues.Describe(other)}");
                break;
        }
        return variables;
    }

    /// <summary>A duration: seconds as a number, or a number with <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (<c>30m</c>); it must be positive.</summary>
    private static TimeSpan? IdleTimeout(Section config)
    {
        var node = config.Get("idle_timeout");
        if (node is null)
            return null;
        TimeSpan? value = null;
        if (NodeValues.TryGetNumber(node, out var seconds))
            value = TimeSpan.FromSeconds(seconds);
        else if (NodeValues.TryGetString(node, out var text) && DurationPattern().Match(text.Trim()) is { Success: true } match)
        {
            var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            value = match.Groups["unit"].Value switch
            {
                "" or "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }
        if (value is not { } timeout || timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(365))
            return Refuse<TimeSpan?>(config, "idle_timeout", $"must be a positive duration of at most 365d such as 30m, 300s or 1h, not {NodeValues.Describe(node)}");
        return timeout;
    }

    private static T? Refuse<T>(Section config, string key, string message)
    {
        config.Diagnostics.Error(config.PathOf(key), message);
        return default;
    }

    /// <summary>Sets the dotted <c>KEY</c> of <paramref name="tree"/> to the YAML scalar <c>VALUE</c>, creating mappings on the way.</summary>
    private static void ApplyOverride(JsonObject tree, string setting, ConfigDiagnostics diagnostics)
    {
        var split = setting.IndexOf('=', StringComparison.Ordinal);
        var keys = split > 0 ? setting[..split].Split('.') : [];
        if (split <= 0 || keys.Any(k => k.Length == 0))
        {
            diagnostics.Error("--config", $"'{setting}' is not KEY=VALUE (a dotted key such as resources.slots=0)");
            return;
        }
        if (!YamlTreeReader.TryRead(setting[(split + 1)..], $"--config {setting[..split]}", diagnostics, out var value))
            return;
        var at = tree;
        foreach (var key in keys[..^1])
        {
            if (at[key] is not JsonObject next)
            {
                next = [];
                at[key] = next;
            }
            at = next;
        }
        at[keys[^1]] = value;
    }

    [GeneratedRegex(@"^(?<n>\d+(\.\d+)?)(?<unit>[smhd]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
