using System.Text.Json.Nodes;
using Determinant.Examples.Digits;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;

namespace Determinant.Harness.Tests.Checkpoints;

/// <summary>
/// Training stopped at a checkpoint and resumed in a fresh trial (new model, optimizer, scheduler and data) ends with
/// exactly the weights of training that was never interrupted: weights, Adam moments, scheduler, RNG (dropout) and
/// data order are all restored.
/// </summary>
[Collection("Torch")]
public sealed class ResumeTests : IDisposable
{
    private const string Yaml = """
        name: digits_resume
        hyperparameters:
          learning_rate: 1.0e-3
          hidden_size: 32
          dropout: 0.3
          lr_halving_epochs: 2
          global_batch_size: 64
        searcher:
          name: single
          metric: validation_accuracy
          smaller_is_better: false
          max_length:
            batches: 120
        checkpoint_policy: none
        scheduling_unit: 10
        records_per_epoch: 1433
        entrypoint: model_def:DigitsTrial
        """;

    private readonly TempDirectory _storage = new();

    public void Dispose() => _storage.Dispose();

    [Fact]
    public async Task ResumedTraining_EndsWithIdenticalWeights_WhenInterruptedMidEpochAtACheckpoint()
    {
        var straight = new InMemoryCoreApi(120);
        Assert.Equal(0, (await RunAsync(straight)).ExitCode);

        var interrupted = new InMemoryCoreApi(120) { PreemptOnPoll = 4 };
        Assert.Equal(0, (await RunAsync(interrupted)).ExitCode);
        var stop = Assert.Single(interrupted.Checkpoints);
        Assert.Equal(40UL, stop.Metadata["steps_completed"]!.GetValue<ulong>());

        var resumed = new InMemoryCoreApi(120);
        var run = await RunAsync(resumed, stop.Uuid, 40);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal([50UL, 60, 70, 80, 90, 100, 110, 120], resumed.Training.Select(m => m.StepsCompleted));
        Assert.Equal(
            straight.Training.Skip(4).Select(m => m.Metrics.AvgMetrics.ToJsonString()),
            resumed.Training.Select(m => m.Metrics.AvgMetrics.ToJsonString()));
        Assert.Equal(straight.Validation.Single().Metrics.AvgMetrics.ToJsonString(), resumed.Validation.Single().Metrics.AvgMetrics.ToJsonString());
        Assert.Equal(Weights(straight), Weights(resumed));
        Assert.Equal(File.ReadAllBytes(FileOf(straight, "optimizer.dat")), File.ReadAllBytes(FileOf(resumed, "optimizer.dat")));
    }

    [Fact]
    public async Task ResumedTraining_DiffersFromStraightTraining_WhenOnlyWeightsAreWarmStarted()
    {
        var straight = new InMemoryCoreApi(120);
        await RunAsync(straight);
        var interrupted = new InMemoryCoreApi(120) { PreemptOnPoll = 4 };
        await RunAsync(interrupted);

        // A warm start (DET_STEPS_COMPLETED 0) keeps the weights but restarts steps, optimizer and data order.
        var warm = new InMemoryCoreApi(80);
        var run = await RunAsync(warm, interrupted.Checkpoints.Single().Uuid, 0);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(10UL, warm.Training[0].StepsCompleted);
        Assert.NotEqual(Weights(straight), Weights(warm));
        Assert.Contains("warm-started", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DigitsTrial_ClassifiesMostTestImages_AfterThreeHundredBatches()
    {
        var api = new InMemoryCoreApi(300);
        var hparams = new JsonObject { ["learning_rate"] = 1e-3, ["hidden_size"] = 256, ["dropout"] = 0.2, ["lr_halving_epochs"] = 10, ["global_batch_size"] = 64 };

        var run = await HarnessRun.RunAsync(typeof(DigitsTrial), TrialEnvironment.For(Yaml, _storage.Path, TrialEnvironment.DigitsDirectory, hparams: hparams), api);

        Assert.True(run.ExitCode == 0, run.Error);
        var accuracy = api.Validation.Single().Metrics.AvgMetrics["validation_accuracy"]!.GetValue<double>();
        Assert.True(accuracy >= 0.9, $"validation_accuracy {accuracy}");
    }

    private Task<HarnessRun> RunAsync(InMemoryCoreApi api, string? latest = null, ulong steps = 0) =>
        HarnessRun.RunAsync(typeof(DigitsTrial), TrialEnvironment.For(Yaml, _storage.Path, TrialEnvironment.DigitsDirectory, latestCheckpoint: latest, stepsCompleted: steps), api);

    private string FileOf(InMemoryCoreApi api, string file) => Path.Combine(_storage.Path, api.Checkpoints[^1].Uuid, file);

    private byte[] Weights(InMemoryCoreApi api) => File.ReadAllBytes(FileOf(api, "model.safetensors"));
}
