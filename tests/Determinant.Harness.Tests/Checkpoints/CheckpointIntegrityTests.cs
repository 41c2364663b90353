using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;
using Determinant.Protocol.Checkpoints;

namespace Determinant.Harness.Tests.Checkpoints;

/// <summary>
/// A resume checks the latest checkpoint's files against the SHA-256 sums recorded when it was written, and falls back to
/// the trial's newest intact earlier checkpoint when one is missing or differs.
/// </summary>
[Collection("Torch")]
public sealed class CheckpointIntegrityTests : IDisposable
{
    // Checkpoints at 20 and 40 batches (the period, then the end of the operation).
    private static readonly string Yaml = Configs.Tiny("checkpoint_policy: none\nmin_checkpoint_period: {batches: 20}", maxLength: "batches: 40");

    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public async Task Resume_RestoresTheNewestIntactEarlierCheckpoint_AndSaysWhy_WhenAFileOfTheLatestDiffers()
    {
        var (earlier, latest) = await TwoCheckpointsAsync();
        var model = Path.Combine(_storage.Path, latest, "model.dat");
        var bytes = await File.ReadAllBytesAsync(model);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(model, bytes);

        var api = new InMemoryCoreApi(60);
        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none", "batches: 60"), _storage.Path, _workdir.Path,
            latestCheckpoint: latest, stepsCompleted: 40), api);

        Assert.True(run.ExitCode == 0, run.Error);
        var line = Assert.Single(run.Output.Split('\n'), l => l.Contains("is corrupt", StringComparison.Ordinal));
        Assert.Matches($"checkpoint {latest} is corrupt: model.dat has SHA-256 [0-9a-f]{{64}} but [0-9a-f]{{64}} was recorded; "
            + $"restoring from checkpoint {earlier} \\(batch 20\\) instead", line);
        Assert.Contains($"resumed from checkpoint {earlier} at 20 steps", run.Output, StringComparison.Ordinal);
        Assert.Equal([30UL, 40, 50, 60], api.Training.Select(m => m.StepsCompleted));
    }

    [Fact]
    public async Task Resume_FailsNamingTheMissingFile_WhenNoEarlierCheckpointIsIntact()
    {
        var (earlier, latest) = await TwoCheckpointsAsync();
        File.Delete(Path.Combine(_storage.Path, latest, "optimizer.dat"));
        File.Delete(Path.Combine(_storage.Path, earlier, "rng_state.bin"));

        var api = new InMemoryCoreApi(60);
        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Yaml, _storage.Path, _workdir.Path, latestCheckpoint: latest, stepsCompleted: 40), api);

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Contains($"checkpoint {earlier} is corrupt: rng_state.bin is missing", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains($"checkpoint {latest} is corrupt: optimizer.dat is missing (its SHA-256 ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Contains("and no earlier checkpoint of trial 11 is intact", run.Output + run.Error, StringComparison.Ordinal);
        Assert.Empty(api.Training);
    }

    [Fact]
    public async Task Resume_TakesACheckpointWithoutRecordedSumsAsItIs()
    {
        var (_, latest) = await TwoCheckpointsAsync();
        File.Delete(Path.Combine(_storage.Path, latest, CheckpointChecksums.FileName));

        var api = new InMemoryCoreApi(60);
        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none", "batches: 60"), _storage.Path, _workdir.Path,
            latestCheckpoint: latest, stepsCompleted: 40), api);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"resumed from checkpoint {latest} at 40 steps", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("corrupt", run.Output, StringComparison.Ordinal);
    }

    private async Task<(string Earlier, string Latest)> TwoCheckpointsAsync()
    {
        var api = new InMemoryCoreApi(40);
        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Yaml, _storage.Path, _workdir.Path), api);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal([20UL, 40], api.Checkpoints.Select(c => c.Metadata["steps_completed"]!.GetValue<ulong>()));
        return (api.Checkpoints[0].Uuid, api.Checkpoints[1].Uuid);
    }
}
