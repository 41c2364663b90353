using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.TrainingLoop;

/// <summary>The classic loop of REFERENCE.md §7.3, observed through the in-memory master.</summary>
[Collection("Torch")]
public sealed class TrainingLoopTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public async Task Loop_ReportsEverySchedulingUnitAndFinishesWithCheckpointThenValidation_WhenOneOperation()
    {
        var api = new InMemoryCoreApi(25);

        var run = await RunAsync(Configs.Tiny("checkpoint_policy: none"), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([10UL, 20, 25], api.Training.Select(m => m.StepsCompleted));
        AssertProgress([10.0, 20, 25], api.Progress);
        Assert.Equal([25UL], api.Validation.Select(m => m.StepsCompleted));
        var calls = api.CallsSnapshot();
        Assert.True(calls.IndexOf("checkpoint 25") < calls.IndexOf("validation 25"), string.Join(" | ", calls));
        Assert.True(calls.IndexOf("validation 25") < calls.IndexOf("complete 25"), string.Join(" | ", calls));
        Assert.Equal("ack", calls[^1]);
        Assert.Single(api.Checkpoints);
        Assert.Equal(api.Validation[0].Metrics.AvgMetrics["validation_loss"]!.GetValue<double>(), api.CompletedOperations[0].SearcherMetric);
    }

    [Fact]
    public async Task Loop_CompletesEachOperationAtItsAbsoluteTarget_WhenSeveralOperations()
    {
        var api = new InMemoryCoreApi(15, 40);

        var run = await RunAsync(Configs.Tiny("checkpoint_policy: none"), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([15UL, 40], api.CompletedOperations.Select(c => c.Op.Length));
        Assert.Equal([15UL, 40], api.Validation.Select(m => m.StepsCompleted));
        Assert.Equal([10UL, 15, 25, 35, 40], api.Training.Select(m => m.StepsCompleted));
        Assert.Equal([15UL, 40], api.Checkpoints.Select(c => c.Metadata["steps_completed"]!.GetValue<ulong>()));
    }

    [Fact]
    public async Task Loop_ConvertsRecordsAndReportsProgressInRecords_WhenSearcherCountsRecords()
    {
        var api = new InMemoryCoreApi(200);

        var run = await RunAsync(Configs.Tiny("checkpoint_policy: none", maxLength: "records: 200"), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([10UL, 20, 25], api.Training.Select(m => m.StepsCompleted));
        AssertProgress([80.0, 160, 200], api.Progress);
        Assert.Equal(200UL, api.CompletedOperations[0].Op.Length);
    }

    [Fact]
    public async Task Loop_ValidatesEveryPeriodAndChecksPeriodicCheckpoints_WhenPeriodsAreSet()
    {
        var api = new InMemoryCoreApi(40);
        var extra = "checkpoint_policy: none\nmin_validation_period:\n  batches: 15\nmin_checkpoint_period:\n  epochs: 3";

        var run = await RunAsync(Configs.Tiny(extra), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([10UL, 15, 25, 30, 40], api.Training.Select(m => m.StepsCompleted));
        Assert.Equal([15UL, 30, 40], api.Validation.Select(m => m.StepsCompleted));
        Assert.Equal([15UL, 30, 40], api.Checkpoints.Select(c => c.Metadata["steps_completed"]!.GetValue<ulong>()));
    }

    [Fact]
    public async Task Loop_ValidatesAtStepZero_WhenPerformInitialValidation()
    {
        var api = new InMemoryCoreApi(10);

        var run = await RunAsync(Configs.Tiny("perform_initial_validation: true\ncheckpoint_policy: none"), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([0UL, 10], api.Validation.Select(m => m.StepsCompleted));
        Assert.Single(api.CompletedOperations);
    }

    [Theory]
    [InlineData("all", null, new ulong[] { 10, 20, 30 })]
    [InlineData("best", null, new ulong[] { 10, 20, 30 })]
    [InlineData("best", -1.0, new ulong[] { 30 })]
    [InlineData("none", null, new ulong[] { 30 })]
    public async Task Loop_CheckpointsAfterValidationUnderPolicy(string policy, double? experimentBest, ulong[] expected)
    {
        var api = new InMemoryCoreApi(30) { BestMetric = experimentBest };
        var extra = $"checkpoint_policy: {policy}\nmin_validation_period:\n  batches: 10";

        var run = await RunAsync(Configs.Tiny(extra), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, api.Checkpoints.Select(c => c.Metadata["steps_completed"]!.GetValue<ulong>()));
        Assert.Equal(policy == "best" ? 3 : 0, api.CallsSnapshot().Count(c => c == "get best metric"));
    }

    [Fact]
    public async Task Loop_ChecksStopSignalEverySchedulingUnit_AndCheckpointsThenAcknowledges_WhenPreempted()
    {
        var api = new InMemoryCoreApi(100) { PreemptOnPoll = 3 };

        var run = await RunAsync(Configs.Tiny("checkpoint_policy: none"), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal([10UL, 20, 30], api.Training.Select(m => m.StepsCompleted));
        Assert.Empty(api.CompletedOperations);
        Assert.Empty(api.Validation);
        var calls = api.CallsSnapshot();
        Assert.Equal(3, calls.Count(c => c.StartsWith("poll", StringComparison.Ordinal)));
        Assert.Equal(["checkpoint 30", "ack"], calls.Where(c => c.StartsWith("checkpoint", StringComparison.Ordinal) || c == "ack"));
    }

    [Fact]
    public async Task Loop_AcknowledgesWithoutTraining_WhenThereAreNoOperations()
    {
        var api = new InMemoryCoreApi();

        var run = await RunAsync(Configs.Tiny(), api);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(api.Training);
        Assert.Equal(1, api.Acks);
    }

    [Fact]
    public async Task Loop_ReportsRunnerStates()
    {
        var api = new InMemoryCoreApi(10);

        await RunAsync(Configs.Tiny("checkpoint_policy: none"), api);

        Assert.Contains(RunnerState.Validating, api.RunnerStates);
        Assert.Contains(RunnerState.Checkpointing, api.RunnerStates);
        Assert.Equal(RunnerState.Training, api.RunnerStates[^1]);
    }

    // Progress is coalesced (only the newest queued value is sent), so any ordered subset ending in the final value is right.
    private static void AssertProgress(double[] reported, List<double> received)
    {
        Assert.Equal(reported[^1], received[^1]);
        Assert.Equal(received.Order(), received);
        Assert.All(received, p => Assert.Contains(p, reported));
    }

    private Task<HarnessRun> RunAsync(string yaml, InMemoryCoreApi api) =>
        HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(yaml, _storage.Path, _workdir.Path), api);
}
