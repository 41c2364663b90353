using System.Globalization;
using Determinant.Config;
using TorchSharp;

namespace Determinant.Harness.WarmUp;

/// <summary>
/// Runs <see cref="WarmUpTrial"/> through the whole harness — environment parsing, the training loop, validation, a
/// checkpoint with safetensors, TensorBoard events, the reporter — against <see cref="WarmUpCoreApi"/>, in a temporary
/// directory that is removed afterwards. Nothing leaves the process.
/// </summary>
internal static class HarnessWarmUp
{
    private const string Config = """
        name: standby-warm-up
        entrypoint: warm_up:WarmUpTrial
        hyperparameters:
          global_batch_size: 4
        searcher:
          name: single
          metric: val_loss
          max_length: {batches: 2}
        scheduling_unit: 1
        min_validation_period: {batches: 1}
        """;

    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        TorchRuntime.EnsureLoaded();
        var seed = torch.random.initial_seed();
        var scratch = Directory.CreateTempSubdirectory("det-harness-warm-up-").FullName;
        try
        {
            var defaults = new System.Text.Json.Nodes.JsonObject
            {
                ["checkpoint_storage"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "shared_fs", ["host_path"] = scratch },
            }.ToJsonString();
            var loaded = ExperimentConfigLoader.Load(Config, new ConfigLoadOptions { MasterDefaults = defaults, Random = new Random(0) });
            if (!loaded.IsValid)
                throw new InvalidOperationException($"the warm-up config is invalid: {string.Join("; ", loaded.Errors)}");
            var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["DET_EXPERIMENT_CONFIG"] = ExperimentConfigJson.Serialize(loaded.Config!),
                ["DET_HPARAMS"] = """{"global_batch_size": 4}""",
                ["DET_TRIAL_SEED"] = "0",
                ["DET_EXPERIMENT_ID"] = "0",
                ["DET_TRIAL_ID"] = "0",
                ["DET_WORKDIR"] = scratch,
            };
            var options = new HarnessOptions { Output = TextWriter.Null, Error = TextWriter.Null, FlushTimeout = TimeSpan.FromSeconds(5) };
            var code = await HarnessMain.RunAsync(typeof(WarmUpTrial), environment, new WarmUpCoreApi(2), options, cancellationToken).ConfigureAwait(false);
            if (code != HarnessExitCodes.Success)
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the warm-up trial exited with {code}"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
            // Leave torch's global generator as a fresh process has it; the harness seeds it per trial anyway.
            torch.manual_seed((long)seed);
        }
    }
}
