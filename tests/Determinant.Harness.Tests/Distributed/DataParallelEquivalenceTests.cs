using System.Runtime.InteropServices;
using Determinant.Examples.Digits;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Xunit.Abstractions;

namespace Determinant.Harness.Tests.Distributed;

/// <summary>
/// Data-parallel training is the same computation as one worker: the digits MLP trained 200 steps on 2 workers with
/// global batch 64 (32 records each) ends with the weights of 1 worker trained with batch 64 on the same data order.
/// </summary>
[Collection("Torch")]
public sealed class DataParallelEquivalenceTests(ITestOutputHelper output)
{
    private const int Steps = 200;

    [Fact]
    public async Task DigitsMlp_TwoWorkersWithGlobalBatch64_EndWithTheWeightsOfOneWorkerWithBatch64()
    {
        using var single = new TempDirectory();
        using var pair = new TempDirectory();

        var alone = new InMemoryCoreApi(Steps);
        var run = await HarnessRun.RunAsync(typeof(DigitsTrial), Environment(slots: 1, single.Path), alone);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);

        var workers = await InProcessWorkers.RunAsync(typeof(DigitsTrial), Environment(slots: 2, pair.Path), 2, _ => new InMemoryCoreApi(Steps));
        foreach (var worker in workers)
            Assert.True(worker.ExitCode == 0, $"{worker.Error}\n{worker.Output}");
        var chief = workers[0].Api;
        output.WriteLine(workers[0].Output);

        // Only the chief talks to the master; it reports what one worker would.
        Assert.Empty(workers[1].Api.Calls);
        Assert.Equal(alone.Training.Select(m => m.StepsCompleted), chief.Training.Select(m => m.StepsCompleted));
        Assert.Equal(alone.Validation.Select(m => m.StepsCompleted), chief.Validation.Select(m => m.StepsCompleted));
        Assert.Single(chief.CompletedOperations);
        Assert.Equal(1, chief.Acks);

        var expected = Weights(single.Path, alone);
        var actual = Weights(pair.Path, chief);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        var maxDiff = expected.Max(p => p.Value.Zip(actual[p.Key], (a, b) => Math.Abs(a - b)).Max());
        var maxWeight = expected.Max(p => p.Value.Max(Math.Abs));
        output.WriteLine($"max |w1 - w2| = {maxDiff:E3} over {expected.Sum(p => p.Value.Length)} weights (largest |w| {maxWeight:0.000})");
        Assert.True(maxDiff <= 1e-5, $"max abs weight difference after {Steps} steps is {maxDiff:E3}");
        // The weights moved: the comparison is not between two untrained models.
        Assert.True(Math.Abs(TrainingLoss(alone, first: true) - TrainingLoss(alone, first: false)) > 0.1);

        // Training metrics are the mean of the two workers' batches: close to one worker's, not equal to the chief's alone.
        var lossAlone = TrainingLoss(alone, first: false);
        var lossPair = TrainingLoss(chief, first: false);
        Assert.InRange(lossPair, lossAlone - 1e-3, lossAlone + 1e-3);
        var accuracyAlone = (double)alone.Validation[^1].Metrics.AvgMetrics["validation_accuracy"]!;
        var accuracyPair = (double)chief.Validation[^1].Metrics.AvgMetrics["validation_accuracy"]!;
        Assert.InRange(accuracyPair, accuracyAlone - 0.02, accuracyAlone + 0.02);
        Assert.True(accuracyPair > 0.9, $"validation accuracy {accuracyPair}");
    }

    private static Dictionary<string, string?> Environment(int slots, string storage)
    {
        var yaml = File.ReadAllText(Path.Combine(TrialEnvironment.DigitsDirectory, "const.yaml"))
            .Replace("dropout: 0.2", "dropout: 0.0", StringComparison.Ordinal)
            .Replace("max_length:\n    epochs: 30", $"max_length:\n    batches: {Steps}", StringComparison.Ordinal)
            .Replace("min_validation_period:\n  epochs: 5", $"min_validation_period:\n  batches: {Steps}", StringComparison.Ordinal)
            + $"resources:\n  slots_per_trial: {slots}\n";
        Assert.Contains($"batches: {Steps}", yaml, StringComparison.Ordinal);
        Assert.Contains("dropout: 0.0", yaml, StringComparison.Ordinal);
        return TrialEnvironment.For(yaml, storage, TrialEnvironment.DigitsDirectory);
    }

    private static Dictionary<string, float[]> Weights(string storage, InMemoryCoreApi api)
    {
        var checkpoint = api.Checkpoints[^1];
        Assert.Equal((ulong)Steps, checkpoint.Metadata["steps_completed"]!.GetValue<ulong>());
        return SafeTensorsFile.Read(Path.Combine(storage, checkpoint.Uuid, CheckpointFiles.ModelSafetensors(0)))
            .ToDictionary(t => t.Name, t => MemoryMarshal.Cast<byte, float>(t.Data).ToArray(), StringComparer.Ordinal);
    }

    private static double TrainingLoss(InMemoryCoreApi api, bool first) =>
        (double)(first ? api.Training[0] : api.Training[^1]).Metrics.AvgMetrics["loss"]!;
}
