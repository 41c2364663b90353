using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Config;

/// <summary>A <see cref="TaskConfig"/> as JSON with Determined's field names, to store with the task and return in the API.</summary>
public static class TaskConfigJson
{
    /// <summary>The config as JSON (absent fields null).</summary>
    public static string Write(TaskConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = new JsonObject
        {
            ["description"] = config.Description,
            ["resources"] = new JsonObject
            {
                ["slots"] = config.Slots,
                ["resource_pool"] = config.ResourcePool,
                ["priority"] = config.Priority,
                ["weight"] = config.Weight,
                ["memory_limit"] = config.MemoryLimit,
                ["pids_limit"] = config.PidsLimit,
            },
            ["bind_mounts"] = new JsonArray([.. config.BindMounts.Select(m => (JsonNode)new JsonObject
            {
                ["host_path"] = m.HostPath, ["container_path"] = m.ContainerPath, ["read_only"] = m.ReadOnly, ["propagation"] = m.Propagation,
            })]),
            ["environment"] = new JsonObject
            {
                ["environment_variables"] = new JsonArray([.. config.EnvironmentVariables.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (JsonNode)JsonValue.Create($"{p.Key}={p.Value}"))]),
            },
            ["entrypoint"] = config.Entrypoint is null ? null : new JsonArray([.. config.Entrypoint.Select(e => (JsonNode)JsonValue.Create(e))]),
            ["idle_timeout"] = config.IdleTimeout is { } timeout ? timeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) + "s" : null,
            ["notebook_idle_type"] = config.NotebookIdleType,
            ["work_dir"] = config.WorkDir,
            ["debug"] = config.Debug,
        };
        return json.ToJsonString();
    }

    /// <summary>Reads back what <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The JSON is not a task config this class wrote.</exception>
    public static TaskConfig Read(string json)
    {
        var yamlish = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException("a task config must be a JSON object");
        // Null fields are absent ones; JSON is YAML, so the loader reads what Write wrote, checks included.
        Prune(yamlish);
        var loaded = TaskConfigLoader.Load(yamlish.ToJsonString(), TaskConfigKind.Command);
        return loaded.Config ?? throw new InvalidDataException("stored task config is invalid: " + string.Join("; ", loaded.Errors));
    }

    private static void Prune(JsonObject node)
    {
        foreach (var key in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
            node.Remove(key);
        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
            Prune(child);
    }
}
