using System.Diagnostics;
using Determinant.Examples.Iris;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Xunit.Abstractions;

namespace Determinant.Harness.Tests.Examples;

/// <summary>The iris example trains through the real loop for the searcher operation of its const.yaml.</summary>
[Collection("Torch")]
public sealed class IrisTrialTests(ITestOutputHelper output)
{
    [Fact]
    public async Task IrisTrial_ReachesNinetyPercentValidationAccuracy_WhenTrainedFiveThousandBatchesAsInConstYaml()
    {
        using var storage = new TempDirectory();
        var yaml = File.ReadAllText(Path.Combine(TrialEnvironment.IrisDirectory, "const.yaml"));
        var api = new InMemoryCoreApi(5000);
        var clock = Stopwatch.StartNew();

        var run = await HarnessRun.RunAsync(typeof(IrisTrial), TrialEnvironment.For(yaml, storage.Path, TrialEnvironment.IrisDirectory), api);

        output.WriteLine($"5000 batches in {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(50, api.Training.Count);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (ulong)(i * 100)), api.Training.Select(m => m.StepsCompleted));
        Assert.Equal(100, api.Training[0].Metrics.BatchMetrics!.Count);
        Assert.Equal(5, api.Validation.Count);
        Assert.Equal([1000UL, 2000, 3000, 4000, 5000], api.Validation.Select(m => m.StepsCompleted));
        var accuracy = api.Validation[^1].Metrics.AvgMetrics["val_categorical_accuracy"]!.GetValue<double>();
        output.WriteLine($"val_categorical_accuracy {accuracy:0.000}, val_loss {api.Validation[^1].Metrics.AvgMetrics["val_loss"]}");
        Assert.True(accuracy >= 0.9, $"val_categorical_accuracy {accuracy}");
        Assert.Single(api.CompletedOperations);
        Assert.Equal(accuracy, api.CompletedOperations[0].SearcherMetric);
        Assert.Equal(5000.0, api.Progress[^1]);
        Assert.NotEmpty(api.Checkpoints);
        Assert.Equal(5000UL, api.Checkpoints[^1].Metadata["steps_completed"]!.GetValue<ulong>());
        Assert.True(Directory.Exists(Path.Combine(storage.Path, api.Checkpoints[^1].Uuid, "code", "data")));
        Assert.Equal(1, api.Acks);
        Assert.Equal(
            ["categorical_accuracy", "loss"],
            api.Training[^1].Metrics.AvgMetrics.Select(p => p.Key).Order(StringComparer.Ordinal));
    }
}
