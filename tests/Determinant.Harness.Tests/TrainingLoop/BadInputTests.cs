using System.Text.Json.Nodes;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.TrainingLoop;

/// <summary>What a trial sees when its code or its inputs go wrong.</summary>
[Collection("Torch")]
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public async Task Harness_FailsWithStackTrace_WhenTrainBatchThrows()
    {
        var api = new InMemoryCoreApi(30);

        var run = await RunAsync(api, new JsonObject { ["global_batch_size"] = 8, ["fail_at_batch"] = 12 });

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Contains("TinyTrial failed on purpose at batch 12", run.Error, StringComparison.Ordinal);
        Assert.Contains("at Determinant.Harness.Tests.Support.TinyTrial.TrainBatch", run.Error, StringComparison.Ordinal);
        Assert.Equal([10UL], api.Training.Select(m => m.StepsCompleted));
        Assert.Equal(0, api.Acks);
        Assert.Empty(api.CompletedOperations);
    }

    [Fact]
    public async Task Harness_ReportsNaNLossAsString_AndKeepsTraining_WhenLossIsNaN()
    {
        var api = new InMemoryCoreApi(20);

        var run = await RunAsync(api, new JsonObject { ["global_batch_size"] = 8, ["nan_from_batch"] = 15 });

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(JsonValueKind(1.0), JsonValueKind(api.Training[0].Metrics.AvgMetrics["loss"]!.GetValue<double>()));
        Assert.Equal("NaN", api.Training[1].Metrics.AvgMetrics["loss"]!.GetValue<string>());
        Assert.Equal("NaN", api.Training[1].Metrics.BatchMetrics![9]["loss"]!.GetValue<string>());
        Assert.IsType<double>(api.Training[1].Metrics.BatchMetrics![0]["loss"]!.GetValue<double>());
        Assert.Contains("metric 'loss' is NaN at 20 steps", run.Output, StringComparison.Ordinal);
        Assert.Single(api.CompletedOperations);
    }

    [Fact]
    public async Task Harness_FailsNamingPathAndSystemError_AndReportsNoCheckpoint_WhenStorageIsUnwritable()
    {
        var file = Path.Combine(_storage.Path, "not-a-directory");
        await File.WriteAllTextAsync(file, "x");
        var api = new InMemoryCoreApi(10);
        var env = TrialEnvironment.For(Configs.Tiny(), Path.Combine(file, "checkpoints"), _workdir.Path);

        var run = await HarnessRun.RunAsync(typeof(TinyTrial), env, api);

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Contains($"to {Path.Combine(file, "checkpoints")}/", run.Error, StringComparison.Ordinal);
        Assert.Contains("Could not find a part of the path", run.Error, StringComparison.Ordinal);
        Assert.Contains($"({file} is a file, not a directory)", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Checkpoints);
        Assert.Empty(api.CompletedOperations);
    }

    [Fact]
    public async Task Harness_FailsNamingMetricAndReturnedKeys_WhenSearcherMetricIsMissing()
    {
        var api = new InMemoryCoreApi(10);

        var run = await RunAsync(api, new JsonObject { ["global_batch_size"] = 8, ["metric_name"] = "mse" });

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Contains("searcher metric 'validation_loss'", run.Error, StringComparison.Ordinal);
        Assert.Contains("the trial returned: [mse]", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Validation);
        Assert.Empty(api.CompletedOperations);
    }

    [Fact]
    public async Task Harness_ReportsInvalidHpAndExitsCleanly_WhenTrialThrowsInvalidHyperparameterException()
    {
        var api = new InMemoryCoreApi(10);

        var run = await RunAsync(api, new JsonObject { ["global_batch_size"] = 8, ["invalid"] = true });

        Assert.Equal(HarnessExitCodes.Success, run.ExitCode);
        Assert.Equal([EarlyExitReason.InvalidHp], api.EarlyExits);
        Assert.Empty(api.Training);
        Assert.Equal(0, api.Acks);
        Assert.Contains("invalid is set", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harness_ExitsWithInvalidEnvironment_WhenConfigVariableIsMissing()
    {
        var env = TrialEnvironment.For(Configs.Tiny(), _storage.Path, _workdir.Path);
        env.Remove("DET_EXPERIMENT_CONFIG");

        var run = await HarnessRun.RunAsync(typeof(TinyTrial), env, new InMemoryCoreApi(10));

        Assert.Equal(HarnessExitCodes.InvalidEnvironment, run.ExitCode);
        Assert.Contains("DET_EXPERIMENT_CONFIG", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harness_ExitsWithInvalidEnvironment_WhenTypeIsNotATrial()
    {
        var run = await HarnessRun.RunAsync(typeof(string), TrialEnvironment.For(Configs.Tiny(), _storage.Path, _workdir.Path), new InMemoryCoreApi(10));

        Assert.Equal(HarnessExitCodes.InvalidEnvironment, run.ExitCode);
        Assert.Contains("System.String must be a non-abstract TorchTrial", run.Error, StringComparison.Ordinal);
    }

    private static string JsonValueKind(double value) => double.IsFinite(value) ? "number" : "string";

    private Task<HarnessRun> RunAsync(InMemoryCoreApi api, JsonObject hparams) =>
        HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none"), _storage.Path, _workdir.Path, hparams: hparams), api);
}
