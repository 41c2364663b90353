using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Harness;
using Determinant.ModelDefinitions;
using Determinant.Protocol.CoreApi;
using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Bench;

/// <summary>
/// The harness's per-batch cost on examples/digits (64-256-256-10, Adam, batch 64) inside the classic loop against an
/// in-memory master that does nothing, versus a hand-written TorchSharp loop doing the same work (same model, optimizer,
/// shuffled batches, loss and accuracy read back each batch). Both run in this process with one torch thread,
/// interleaved over several rounds; the median per-batch time of each is compared.
/// </summary>
/// <remarks>
/// The harness is timed between its first and last stop-signal poll, which it makes right after each scheduling unit,
/// so the window holds only training steps with all their reporting (metrics, progress, TensorBoard events, polls) and
/// leaves out the trial's construction, data loading and the final checkpoint.
/// </remarks>
internal sealed class HarnessOverheadBenchmark : IBenchmark
{
    private const double Target = 1.05;
    private const int Batches = 1500;
    private const int SchedulingUnit = 50;
    private const int Rounds = 5;

    public string Name => "harness-overhead";

    public string Description => $"digits MLP per-batch time in the harness loop vs a plain TorchSharp loop; within {(Target - 1) * 100:0}%";

    public bool Run(TextWriter output, string repositoryRoot)
    {
        var digits = Path.Combine(repositoryRoot, "examples", "digits");
        using var scratch = new Scratch();
        var trialType = CompileTrial(digits, "model_def:DigitsTrial", scratch.Path);
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        var yaml = $$"""
            name: digits_overhead
            hyperparameters: {{DigitsHyperparameters}}
            searcher:
              name: single
              metric: validation_accuracy
              smaller_is_better: false
              max_length:
                batches: {{Batches}}
            scheduling_unit: {{SchedulingUnit}}
            records_per_epoch: 1433
            checkpoint_policy: none
            entrypoint: model_def:DigitsTrial
            """;
        var environment = TrialEnvironment(yaml, Path.Combine(scratch.Path, "checkpoints"), digits);
        var plainData = DigitsPlainLoop.Load(digits);

        var ours = new List<double>();
        var baseline = new List<double>();
        // One untimed run of each warms up the JIT and libtorch's allocator.
        _ = HarnessPerBatch(trialType, environment);
        _ = DigitsPlainLoop.PerBatchMilliseconds(plainData, Batches, SchedulingUnit);
        for (var round = 0; round < Rounds; round++)
        {
            // ABBA order so that drift on a shared machine falls on both sides alike.
            if (round % 2 == 0)
            {
                ours.Add(HarnessPerBatch(trialType, environment));
                baseline.Add(DigitsPlainLoop.PerBatchMilliseconds(plainData, Batches, SchedulingUnit));
            }
            else
            {
                baseline.Add(DigitsPlainLoop.PerBatchMilliseconds(plainData, Batches, SchedulingUnit));
                ours.Add(HarnessPerBatch(trialType, environment));
            }
        }

        var ratio = Median(ours) / Median(baseline);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {Batches} batches of 64, {Rounds} interleaved rounds, torch threads 1"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ours (harness loop)     median {Median(ours):F4} ms/batch  [{string.Join(", ", ours.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   baseline (plain loop)   median {Median(baseline):F4} ms/batch  [{string.Join(", ", baseline.Select(v => v.ToString("F4", CultureInfo.InvariantCulture)))}]"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   ratio {ratio:F3}x (target ≤ {Target:F2}x)"));
        return ratio <= Target;
    }

    /// <summary>The hyperparameters of examples/digits/const.yaml.</summary>
    internal const string DigitsHyperparameters = "{learning_rate: 1.0e-3, hidden_size: 256, dropout: 0.2, lr_halving_epochs: 10, global_batch_size: 64}";

    /// <summary>Compiles a model definition as the master does and loads its trial class.</summary>
    internal static Type CompileTrial(string directory, string entrypoint, string cacheDirectory)
    {
        var compiler = new ModelDefinitionCompiler(new ModelDefinitionCompilerOptions { HarnessDirectory = AppContext.BaseDirectory, CacheDirectory = cacheDirectory });
        var result = compiler.Compile(ModelDefinitionSources.ReadDirectory(directory), entrypoint, CancellationToken.None);
        if (!result.Success)
            throw new InvalidOperationException($"{directory} does not compile: {string.Join("; ", result.Errors)}");
        return TrialAssemblyLoader.LoadTrialType(result.AssemblyPath!, result.TrialTypeName!);
    }

    /// <summary>A trial's DET_* variables as the master would set them, with constant hyperparameters and shared_fs checkpoints.</summary>
    internal static Dictionary<string, string?> TrialEnvironment(string yaml, string checkpoints, string workDirectory)
    {
        var defaults = new JsonObject { ["checkpoint_storage"] = new JsonObject { ["type"] = "shared_fs", ["host_path"] = checkpoints } }.ToJsonString();
        var loaded = ExperimentConfigLoader.Load(yaml, new ConfigLoadOptions { MasterDefaults = defaults, Random = new Random(1) });
        if (!loaded.IsValid)
            throw new InvalidOperationException($"benchmark config is invalid: {string.Join("; ", loaded.Errors)}");
        var hparams = new JsonObject();
        foreach (var (name, hp) in loaded.Config!.Hyperparameters)
            hparams[name] = ((ConstHyperparameter)hp).Value?.DeepClone();
        return new Dictionary<string, string?>
        {
            ["DET_EXPERIMENT_CONFIG"] = ExperimentConfigJson.Serialize(loaded.Config),
            ["DET_HPARAMS"] = hparams.ToJsonString(),
            ["DET_TRIAL_SEED"] = "1",
            ["DET_EXPERIMENT_ID"] = "1",
            ["DET_TRIAL_ID"] = "1",
            ["DET_CLUSTER_ID"] = "bench",
            ["DET_WORKDIR"] = workDirectory,
        };
    }

    /// <summary>Runs the trial through <see cref="HarnessMain"/> against <paramref name="api"/> and returns the wall time in milliseconds.</summary>
    internal static double RunHarness(Type trialType, Dictionary<string, string?> environment, NoOpCoreApi api)
    {
        var start = Stopwatch.GetTimestamp();
        var code = HarnessMain.RunAsync(trialType, environment, api, new HarnessOptions { Output = TextWriter.Null }, CancellationToken.None).GetAwaiter().GetResult();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return code == HarnessExitCodes.Success ? elapsed : throw new InvalidOperationException($"the harness exited with {code}");
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double HarnessPerBatch(Type trialType, Dictionary<string, string?> environment)
    {
        var api = new NoOpCoreApi(Batches);
        RunHarness(trialType, environment, api);
        var polls = api.PollTimestamps;
        return Stopwatch.GetElapsedTime(polls[0], polls[^1]).TotalMilliseconds / ((polls.Count - 1) * SchedulingUnit);
    }

    /// <summary>A master that answers at once and keeps nothing but the stop-signal poll times: one operation per length given.</summary>
    internal sealed class NoOpCoreApi(params ulong[] operationLengths) : ICoreApi
    {
        private int _next;

        public List<long> PollTimestamps { get; } = [];

        public Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken) =>
            Task.FromResult(_next < operationLengths.Length
                ? new GetSearcherOperationResponse(new SearcherOperation(new ValidateAfterOperation(operationLengths[_next])), false)
                : new GetSearcherOperationResponse(null, true));

        public Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken)
        {
            _next++;
            return Task.CompletedTask;
        }

        public Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken) => Task.FromResult<double?>(null);

        public Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            PollTimestamps.Add(Stopwatch.GetTimestamp());
            return Task.FromResult(new PreemptionSignalResponse(false));
        }

        public Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A temporary directory, deleted on dispose.</summary>
    internal sealed class Scratch : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("det-bench-harness-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>The digits training written by hand: the work of DigitsTrial.TrainBatch without the harness.</summary>
    private static class DigitsPlainLoop
    {
        public static (Tensor Inputs, Tensor Targets) Load(string directory)
        {
            var rows = File.ReadAllLines(Path.Combine(directory, "data", "digits_training.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
            var pixels = rows.SelectMany(r => r.Take(64).Select(v => float.Parse(v, CultureInfo.InvariantCulture) / 16f)).ToArray();
            var labels = rows.Select(r => long.Parse(r[64], CultureInfo.InvariantCulture)).ToArray();
            return (tensor(pixels, [rows.Count, 64]), tensor(labels));
        }

        /// <summary>Trains <paramref name="batches"/> batches and returns the time per batch after the first <paramref name="skip"/>.</summary>
        public static double PerBatchMilliseconds((Tensor Inputs, Tensor Targets) data, int batches, int skip)
        {
            using var model = nn.Sequential(
                ("dense1", nn.Linear(64, 256)), ("relu1", nn.ReLU()), ("dropout1", nn.Dropout(0.2)),
                ("dense2", nn.Linear(256, 256)), ("relu2", nn.ReLU()), ("dropout2", nn.Dropout(0.2)),
                ("output", nn.Linear(256, 10)));
            using var optimizer = optim.Adam(model.parameters(), lr: 1e-3);
            var scheduler = optim.lr_scheduler.StepLR(optimizer, 10, 0.5);
            using var loss = nn.CrossEntropyLoss();
            var records = data.Inputs.shape[0];
            var perEpoch = (int)((records + 63) / 64);
            long start = 0;
            var metrics = new List<double>(batches * 2);
            var order = Array.Empty<long>();
            for (var step = 0; step < batches; step++)
            {
                if (step == skip)
                    start = Stopwatch.GetTimestamp();
                var (epoch, inEpoch) = (step / perEpoch, step % perEpoch);
                if (inEpoch == 0)
                {
                    using var generator = new Generator((ulong)(epoch + 1), CPU);
                    using var permutation = randperm(records, generator: generator);
                    order = permutation.data<long>().ToArray();
                }

                using (NewDisposeScope())
                {
                    var first = inEpoch * 64;
                    var index = tensor(order.AsSpan(first, (int)Math.Min(64, records - first)).ToArray());
                    var (inputs, targets) = (data.Inputs.index_select(0, index), data.Targets.index_select(0, index));
                    optimizer.zero_grad();
                    var logits = model.forward(inputs);
                    var value = loss.forward(logits, targets);
                    value.backward();
                    optimizer.step();
                    metrics.Add(value.item<float>());
                    metrics.Add(logits.argmax(1).eq(targets).to_type(ScalarType.Float32).mean().item<float>());
                }

                if (inEpoch + 1 == perEpoch)
                    scheduler.step();
            }

            return Stopwatch.GetElapsedTime(start).TotalMilliseconds / (batches - skip);
        }
    }
}
