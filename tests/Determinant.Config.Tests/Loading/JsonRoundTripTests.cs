using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Config.Tests.Loading;

/// <summary>The JSON form a trial receives: snake_case fields, stable text, and an unchanged config after a round trip.</summary>
public sealed class JsonRoundTripTests
{
    private const string Everything = """
        name: everything
        description: all sections
        labels: [a, b]
        data: {url: "http://x", nested: {n: [1, 2.5, null]}}
        workspace: w
        project: p
        entrypoint: [python3, train.py, --flag]
        hyperparameters:
          global_batch_size: {type: int, minval: 16, maxval: 64, count: 2}
          opt: {lr: {type: log, minval: -3, maxval: -1, base: 10, count: 3}, kind: {type: categorical, vals: [a, 1, null, [2]]}, empty: {}}
          plain: {type: const, val: {k: v}}
        searcher: {name: adaptive_asha, metric: acc, smaller_is_better: false, max_trials: 9, max_length: {records: 900},
                   mode: conservative, divisor: 2.5, max_rungs: 3, bracket_rungs: [3, 2], max_concurrent_trials: 2, stop_once: true,
                   source_checkpoint_uuid: 0b7c6e0a-0000-4000-8000-000000000000}
        resources: {slots_per_trial: 0, max_slots: 3, priority: 1, weight: 0.5, resource_pool: cpu, shm_size: 4096,
                    devices: ["/dev/a:/dev/b", {host_path: /dev/c, container_path: /dev/d, mode: r}], is_single_node: true, native_parallel: true}
        bind_mounts: [{host_path: /h, container_path: rel, propagation: shared}]
        environment: {image: img, environment_variables: {cuda: [A=1]}, force_pull_image: true, registry_auth: {username: u},
                      add_capabilities: [SYS_ADMIN], drop_capabilities: [NET_RAW], proxy_ports: [{proxy_port: 8080, proxy_tcp: true}],
                      ports: {web: 8000}, pod_spec: {metadata: {labels: {x: y}}}}
        checkpoint_storage: {type: s3, bucket: b, prefix: runs/1, save_experiment_best: 1}
        checkpoint_policy: none
        max_restarts: 0
        min_validation_period: {epochs: 1}
        min_checkpoint_period: {records: 320}
        perform_initial_validation: true
        scheduling_unit: 7
        records_per_epoch: 640
        reproducibility: {experiment_seed: 99}
        preemption_timeout: 60
        log_policies: [{pattern: ".*OOM.*", action: cancel_retries}, {pattern: "ECC", action: {type: exclude_node}}]
        profiling: {enabled: true, begin_on_batch: 2, end_after_batch: 9, sync_timings: false}
        optimizations: {aggregation_frequency: 2}
        tensorboard_storage: {}
        data_layer: {type: shared_fs}
        internal: {x: 1}
        debug: true
        """;

    public static TheoryData<string, string> AllFixtures
    {
        get
        {
            var data = Configs.ValidFixtures;
            data.Add("everything", Everything);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Deserialize_GivesAnEqualConfig_ForEveryValidFixture(string label, string yaml)
    {
        var config = Configs.LoadValid(yaml);

        var json = ExperimentConfigJson.Serialize(config);
        var back = ExperimentConfigJson.Deserialize(json);

        Assert.True(config.Equals(back), $"{label}: {json}\n{ExperimentConfigJson.Serialize(back)}");
        Assert.Equal(json, ExperimentConfigJson.Serialize(back));
    }

    [Theory]
    [MemberData(nameof(AllFixtures))]
    public void Serialize_GivesIdenticalText_WhenCalledTwice(string label, string yaml)
    {
        var config = Configs.LoadValid(yaml);

        Assert.Equal(ExperimentConfigJson.Serialize(config), ExperimentConfigJson.Serialize(config));
        Assert.NotEmpty(label);
    }

    [Fact]
    public void Serialize_UsesTheYamlFieldNames()
    {
        var json = JsonNode.Parse(ExperimentConfigJson.Serialize(Configs.LoadValid(Configs.V5)))!.AsObject();

        Assert.Equal("adaptive_asha", (string?)json["searcher"]!["name"]);
        Assert.Equal(8L, (long)json["searcher"]!["max_length"]!["epochs"]!);
        Assert.Equal(60000L, (long)json["records_per_epoch"]!);
        Assert.Equal(1714564800L, (long)json["reproducibility"]!["experiment_seed"]!);
        Assert.Equal("shared_fs", (string?)json["checkpoint_storage"]!["type"]);
        Assert.Equal("int", (string?)json["hyperparameters"]!["n_filters"]!["type"]);
        Assert.Equal("const", (string?)json["hyperparameters"]!["global_batch_size"]!["type"]);
        Assert.Equal(5L, (long)json["max_restarts"]!);
    }

    [Fact]
    public void Serialize_WritesAUnitlessLength_AsABareNumber()
    {
        var json = JsonNode.Parse(ExperimentConfigJson.Serialize(Configs.LoadValid(Configs.V6)))!;

        Assert.Equal(1000L, (long)json["searcher"]!["max_length"]!);
    }

    [Fact]
    public void Serialize_RoundTrips_AConfigLoadedForPreview()
    {
        var config = ExperimentConfigLoader.LoadForPreview("searcher: {name: single, metric: l, max_length: 3}", Configs.Options() with { MasterDefaults = null }).Config!;

        Assert.Equal(config, ExperimentConfigJson.Deserialize(ExperimentConfigJson.Serialize(config)));
    }

    [Fact]
    public void Deserialize_ListsEveryError_WhenTheJsonIsNotAValidConfig()
    {
        var error = Assert.Throws<JsonException>(() => ExperimentConfigJson.Deserialize("""{"searcher": {"name": "single"}, "max_restarts": -1}"""));

        Assert.Contains("<config>.max_restarts: must be >= 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("<config>.searcher: metric is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("name is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_Throws_ForJsonThatIsNotAnObject()
    {
        Assert.Throws<JsonException>(() => ExperimentConfigJson.Deserialize("[1]"));
        Assert.ThrowsAny<JsonException>(() => ExperimentConfigJson.Deserialize("{"));
    }

    [Fact]
    public void Load_AcceptsTheSerializedJson_AsAConfig()
    {
        var config = Configs.LoadValid(Configs.V9);

        Assert.Equal(config, Configs.LoadValid(ExperimentConfigJson.Serialize(config)));
    }
}
