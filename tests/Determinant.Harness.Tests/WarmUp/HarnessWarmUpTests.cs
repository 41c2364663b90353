using TorchSharp;

namespace Determinant.Harness.Tests.WarmUp;

/// <summary>The standby warm-up trains its built-in trial through the harness and leaves no trace a trial could notice.</summary>
[Collection("Torch")]
public sealed class HarnessWarmUpTests
{
    [Fact]
    public async Task WarmUpAsync_LeavesNoFilesAndTorchsGeneratorAsSeeded()
    {
        TorchRuntime.EnsureLoaded();
        var scratchBefore = ScratchDirectories();
        torch.manual_seed(1234);

        await HarnessMain.WarmUpAsync(CancellationToken.None);

        using var afterWarmUp = torch.randn(5);
        torch.manual_seed(1234);
        using var fresh = torch.randn(5);
        Assert.Equal(fresh.data<float>().ToArray(), afterWarmUp.data<float>().ToArray());
        Assert.Equal(scratchBefore, ScratchDirectories());
    }

    private static string[] ScratchDirectories() =>
        [.. Directory.EnumerateDirectories(Path.GetTempPath(), "det-harness-warm-up-*").Order(StringComparer.Ordinal)];
}
