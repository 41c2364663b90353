using Determinant.Harness.Tests.Fakes;
using Determinant.Harness.Tests.Support;

namespace Determinant.Harness.Tests.TrainingLoop;

/// <summary>Completing a searcher operation when the master's answer is lost: the master refuses the repeat, the trial goes on.</summary>
[Collection("Torch")]
public sealed class OperationCompletionTests : IDisposable
{
    private readonly TempDirectory _storage = new();
    private readonly TempDirectory _workdir = new();

    public void Dispose()
    {
        _storage.Dispose();
        _workdir.Dispose();
    }

    [Fact]
    public async Task Harness_CarriesOn_WhenARetriedCompletionIsRefusedBecauseTheFirstOneLanded()
    {
        var api = new InMemoryCoreApi(10, 20) { CompletionAnswersToLose = 1 };

        var run = await RunAsync(api);

        Assert.True(run.ExitCode == HarnessExitCodes.Success, run.Error);
        Assert.Equal([10UL, 20UL], api.CompletedOperations.Select(c => c.Op.Length));
        Assert.Equal(3, api.Calls.Count(c => c.StartsWith("complete ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Harness_Fails_WhenTheFirstCompletionIsRefused()
    {
        var api = new InMemoryCoreApi(10) { RefuseCompletions = true };

        var run = await RunAsync(api);

        Assert.Equal(HarnessExitCodes.TrialFailed, run.ExitCode);
        Assert.Contains("ValidateAfter(10)", run.Error, StringComparison.Ordinal);
        Assert.Empty(api.CompletedOperations);
    }

    private Task<HarnessRun> RunAsync(InMemoryCoreApi api) =>
        HarnessRun.RunAsync(typeof(TinyTrial), TrialEnvironment.For(Configs.Tiny("checkpoint_policy: none"), _storage.Path, _workdir.Path), api);
}
