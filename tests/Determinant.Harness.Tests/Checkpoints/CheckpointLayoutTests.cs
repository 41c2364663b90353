using System.Text.Json.Nodes;
using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;

namespace Determinant.Harness.Tests.Checkpoints;

/// <summary>A checkpoint directory holds what REFERENCE.md §4.1 lists, and the report describes exactly those files.</summary>
[Collection("Torch")]
public sealed class CheckpointLayoutTests : IDisposable
{
    private static readonly Guid Uuid = new("0b6a1f4e-0000-4000-8000-000000000001");
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public async Task Checkpoint_HoldsStateMetadataLoadSpecAndCode_AndReportsEveryFileWithItsSize()
    {
        await File.WriteAllTextAsync(Path.Combine(_workdir.Path, "model_def.cs"), "// the model");
        var api = new InMemoryCoreApi(10);

        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none"), _storage.Path, _workdir.Path), api, () => Uuid);

        Assert.True(run.ExitCode == 0, run.Error);
        var report = Assert.Single(api.Checkpoints);
        var directory = Path.Combine(_storage.Path, Uuid.ToString());
        Assert.Equal(Uuid.ToString(), report.Uuid);
        Assert.Equal(("3.request", "3.request.1", "COMPLETED"), (report.TaskId, report.AllocationId, report.State));
        Assert.Equal(
            ["code/", "code/model_def.cs", "load.json", "loop_state.json", "metadata.json", "model.dat", "model.safetensors", "optimizer.dat", "rng_state.bin",
                "sha256sums.txt"],
            report.Resources.Keys);
        // sha256sum's format, every other file once, in path order.
        var sums = (await File.ReadAllLinesAsync(Path.Combine(directory, "sha256sums.txt"))).Select(l => l.Split("  ", 2)).ToList();
        Assert.Equal(report.Resources.Keys.Where(k => !k.EndsWith('/') && k != "sha256sums.txt"), sums.Select(s => s[1]));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(directory, "model.dat")))),
            sums.Single(s => s[1] == "model.dat")[0]);
        Assert.Equal(0, report.Resources["code/"]);
        Assert.All(report.Resources.Where(r => !r.Key.EndsWith('/')), r => Assert.Equal(new FileInfo(Path.Combine(directory, r.Key)).Length, r.Value));
        // Beside the checkpoint: the TensorBoard events under <cluster_id>/ ("local" without DET_CLUSTER_ID, REFERENCE.md §7.5).
        Assert.Equal([Uuid.ToString(), "local"], Directory.GetDirectories(_storage.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var metadataText = await File.ReadAllTextAsync(Path.Combine(directory, "metadata.json"));
        Assert.Contains("\n  \"steps_completed\": 10", metadataText, StringComparison.Ordinal);
        var metadata = JsonNode.Parse(metadataText)!.AsObject();
        Assert.Equal(report.Metadata.ToJsonString(), metadata.ToJsonString());
        Assert.Equal("torchsharp-0.107", metadata["framework"]!.GetValue<string>());
        Assert.Equal(8, metadata["hparams"]!["global_batch_size"]!.GetValue<int>());
        Assert.Equal((3, 11), (metadata["experiment_id"]!.GetValue<int>(), metadata["trial_id"]!.GetValue<int>()));
        Assert.True(metadata.ContainsKey("determinant_version") && metadata.ContainsKey("format"));

        var load = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "load.json")))!;
        Assert.Equal("TorchTrial", load["trial_type"]!.GetValue<string>());
        Assert.Equal("model_def:TinyTrial", load["trial_cls_spec"]!.GetValue<string>());
        Assert.Equal("validation_loss", load["experiment_config"]!["searcher"]!["metric"]!.GetValue<string>());
        Assert.Equal(8, load["hparams"]!["global_batch_size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Checkpoint_LeavesNoDirectoryBehind_WhenWritingFails()
    {
        // The uuid's final directory already exists as a file, so the rename into place fails after every file is written.
        await File.WriteAllTextAsync(Path.Combine(_storage.Path, Uuid.ToString()), "in the way");
        var api = new InMemoryCoreApi(10);

        var run = await HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none"), _storage.Path, _workdir.Path), api, () => Uuid);

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Equal(["local"], Directory.GetDirectories(_storage.Path).Select(Path.GetFileName));
        Assert.Empty(api.Checkpoints);
    }
}
