namespace Determinant.Config.Tests.Loading;

/// <summary>Loading for preview (REFERENCE.md §3.9): only the searcher and hyperparameters must be complete.</summary>
public sealed class PreviewTests
{
    [Fact]
    public void LoadForPreview_Succeeds_WithoutEntrypointOrStorage()
    {
        var result = ExperimentConfigLoader.LoadForPreview(
            "searcher: {name: random, metric: l, max_trials: 3, max_length: 5}",
            Configs.Options() with { MasterDefaults = null });

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Null(result.Config!.Entrypoint);
        Assert.Null(result.Config.CheckpointStorage);
    }

    [Fact]
    public void LoadForPreview_StillRequiresACompleteSearcher()
    {
        var result = ExperimentConfigLoader.LoadForPreview("searcher: {name: random, metric: l}", Configs.Options());

        Assert.Equal(["<config>.searcher: max_length is required", "<config>.searcher: max_trials is required"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void LoadForPreview_StillChecksWhateverElseIsPresent()
    {
        var result = ExperimentConfigLoader.LoadForPreview(
            "searcher: {name: single, metric: l, max_length: 5}\nresources: {priority: 0}\nbind_mounts: [{host_path: x, container_path: /y}]",
            Configs.Options());

        Assert.Equal(2, result.Errors.Length);
        Expect.Line(result.Errors.Select(e => e.ToString()), "<config>.resources.priority", ">= 1");
    }

    [Fact]
    public void LoadForPreview_RequiresTheSearcher()
    {
        var result = ExperimentConfigLoader.LoadForPreview("hyperparameters: {x: 1}", Configs.Options());

        Assert.Equal("<config>: searcher is required", Assert.Single(result.Errors).ToString());
    }
}
