using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Config.Serialization;

/// <summary>
/// Writes a resolved config as JSON with the YAML field names, every field present and in a fixed order, so the same
/// config always gives the same text and reading it back gives an equal config.
/// </summary>
internal static class ConfigJsonWriter
{
    public static string Write(ExperimentConfig config)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", config.Name);
            w.WriteString("description", config.Description);
            Strings(w, "labels", config.Labels);
            Node(w, "data", config.Data);
            w.WriteString("workspace", config.Workspace);
            w.WriteString("project", config.Project);
            Entrypoint(w, config.Entrypoint);
            w.WritePropertyName("hyperparameters");
            HyperparameterJsonWriter.WriteMap(w, config.Hyperparameters);
            w.WritePropertyName("searcher");
            SearcherJsonWriter.Write(w, config.Searcher);
            ResourcesJsonWriter.Write(w, config.Resources);
            BindMounts(w, config.BindMounts);
            EnvironmentJsonWriter.Write(w, config.Environment);
            StorageJsonWriter.Write(w, config.CheckpointStorage);
            w.WriteString("checkpoint_policy", config.CheckpointPolicy switch
            {
                CheckpointPolicy.All => "all",
                CheckpointPolicy.None => "none",
                _ => "best",
            });
            w.WriteNumber("max_restarts", config.MaxRestarts);
            Length(w, "min_validation_period", config.MinValidationPeriod);
            Length(w, "min_checkpoint_period", config.MinCheckpointPeriod);
            w.WriteBoolean("perform_initial_validation", config.PerformInitialValidation);
            w.WriteNumber("scheduling_unit", config.SchedulingUnit);
            w.WriteNumber("records_per_epoch", config.RecordsPerEpoch);
            w.WriteStartObject("reproducibility");
            w.WriteNumber("experiment_seed", config.Reproducibility.ExperimentSeed);
            w.WriteEndObject();
            w.WriteNumber("preemption_timeout", config.PreemptionTimeout);
            LogPolicies(w, config);
            Profiling(w, config.Profiling);
            Node(w, "optimizations", config.Optimizations);
            Node(w, "tensorboard_storage", config.TensorboardStorage);
            Node(w, "data_layer", config.DataLayer);
            Node(w, "internal", config.Internal);
            w.WriteBoolean("debug", config.Debug);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Length(Utf8JsonWriter w, string name, Length length)
    {
        if (length.UnitName is { } unit)
        {
            w.WriteStartObject(name);
            w.WriteNumber(unit, length.Units);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNumber(name, length.Units);
        }
    }

    public static void Node(Utf8JsonWriter w, string name, JsonNode? node)
    {
        w.WritePropertyName(name);
        Value(w, node);
    }

    public static void Value(Utf8JsonWriter w, JsonNode? node)
    {
        if (node is null)
            w.WriteNullValue();
        else
            node.WriteTo(w);
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }

    public static void NullableNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } number)
            w.WriteNumber(name, number);
        else
            w.WriteNull(name);
    }

    private static void Entrypoint(Utf8JsonWriter w, Entrypoint? entrypoint)
    {
        if (entrypoint is null)
            w.WriteNull("entrypoint");
        else if (entrypoint.Command is { } command)
            w.WriteString("entrypoint", command);
        else
            Strings(w, "entrypoint", entrypoint.Argv);
    }

    private static void BindMounts(Utf8JsonWriter w, IEnumerable<BindMount> mounts)
    {
        w.WriteStartArray("bind_mounts");
        foreach (var mount in mounts)
        {
            w.WriteStartObject();
            w.WriteString("host_path", mount.HostPath);
            w.WriteString("container_path", mount.ContainerPath);
            w.WriteBoolean("read_only", mount.ReadOnly);
            w.WriteString("propagation", mount.Propagation);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void LogPolicies(Utf8JsonWriter w, ExperimentConfig config)
    {
        w.WriteStartArray("log_policies");
        foreach (var policy in config.LogPolicies)
        {
            w.WriteStartObject();
            w.WriteString("pattern", policy.Pattern);
            w.WriteString("action", policy.Action == LogPolicyAction.ExcludeNode ? "exclude_node" : "cancel_retries");
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Profiling(Utf8JsonWriter w, ProfilingConfig profiling)
    {
        w.WriteStartObject("profiling");
        w.WriteBoolean("enabled", profiling.Enabled);
        w.WriteNumber("begin_on_batch", profiling.BeginOnBatch);
        NullableNumber(w, "end_after_batch", profiling.EndAfterBatch);
        w.WriteBoolean("sync_timings", profiling.SyncTimings);
        w.WriteEndObject();
    }
}
