namespace Determinant.Config.Tests.Loading;

/// <summary>A searcher may ask for at most <see cref="ConfigLoadOptions.MaxTrials"/> trials; a grid is counted, never enumerated.</summary>
public sealed class TrialLimitTests
{
    private static string Grid(string hyperparameters) =>
        "entrypoint: model_def:T\nhyperparameters: {" + hyperparameters + "}\nsearcher: {name: grid, metric: loss, max_length: {batches: 10}}";

    [Fact]
    public void Load_RefusesAGridOfAHundredMillionPoints_NamingTheLimit_WithoutEnumeratingIt()
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var lines = Configs.ErrorLines(Grid("a: {type: int, minval: 0, maxval: 99999999, count: 100000000}"));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Expect.Line(lines, "<config>.hyperparameters", "100000000 points", $"limit of {ConfigLimits.DefaultMaxTrials} trials", "ConfigLimits.DefaultMaxTrials");
        Assert.True(allocated < 16L << 20, $"refusing the grid allocated {allocated >> 20} MiB");
    }

    [Fact]
    public void Load_CountsTheWholeProduct_WhenItIsFarBeyondLong()
    {
        var axes = string.Join(", ", Enumerable.Range(0, 3).Select(i => $"a{i}: {{type: double, minval: 0, maxval: 1, count: 1000000000}}"));

        Expect.Line(Configs.ErrorLines(Grid(axes)), "<config>.hyperparameters", "1" + new string('0', 27) + " points");
    }

    [Fact]
    public void Load_AcceptsAGridOfExactlyTheLimit_CountingIntAxesClampedToTheirRange_AndNestedAxes()
    {
        // int[1,10] with count 500 has 10 points; 10 x 10 x 100 = 10 000.
        const string Axes = "a: {type: int, minval: 1, maxval: 10, count: 500}, n: {b: {type: categorical, vals: [0,1,2,3,4,5,6,7,8,9]}, c: {type: log, minval: 0, maxval: 1, base: 10, count: 100}}";
        Assert.True(Configs.Load(Grid(Axes)).IsValid);

        var options = Configs.Options() with { MaxTrials = ConfigLimits.DefaultMaxTrials - 1, MaxTrialsSetting = "max_trials_per_experiment" };
        Expect.Line(Configs.ErrorLines(Grid(Axes), options), "<config>.hyperparameters", "10000 points", "limit of 9999 trials", "max_trials_per_experiment");
    }

    [Theory]
    [InlineData("{name: random, metric: l, max_length: 1, max_trials: 10001}", "<config>.searcher.max_trials")]
    [InlineData("{name: adaptive_asha, metric: l, max_length: 1, max_trials: 10001}", "<config>.searcher.max_trials")]
    [InlineData("{name: async_halving, metric: l, max_length: 1, num_rungs: 2, max_trials: 10001}", "<config>.searcher.max_trials")]
    [InlineData("{name: pbt, metric: l, population_size: 10001, num_rounds: 2, length_per_round: 5, replace_function: {truncate_fraction: 0.1}, explore_function: {resample_probability: 0.1, perturb_factor: 0.1}}",
        "<config>.searcher.population_size")]
    public void Load_RefusesMoreTrialsThanTheLimit_AtTheField(string searcher, string path)
    {
        Expect.Line(Configs.ErrorLines($"entrypoint: model_def:T\nsearcher: {searcher}"), path, "10001", $"limit of {ConfigLimits.DefaultMaxTrials} trials");
        var raised = Configs.Options() with { MaxTrials = 10001 };
        Assert.True(ExperimentConfigLoader.Load($"entrypoint: model_def:T\nsearcher: {searcher}", raised).IsValid);
    }

    [Theory]
    [InlineData("{name: async_halving, metric: l, max_length: 1, num_rungs: 65, max_trials: 4}", "<config>.searcher.num_rungs")]
    [InlineData("{name: adaptive_asha, metric: l, max_length: 1, max_trials: 4, bracket_rungs: [2, 65]}", "<config>.searcher.bracket_rungs[1]")]
    public void Load_RefusesMoreRungsThanTheLimit(string searcher, string path)
    {
        Expect.Line(Configs.ErrorLines($"entrypoint: model_def:T\nsearcher: {searcher}"), path, "65", $"limit of {ConfigLimits.MaxRungs} rungs");
    }

    [Fact]
    public void Load_RefusesMoreBracketsThanTheLimit()
    {
        var rungs = string.Join(", ", Enumerable.Repeat("1", ConfigLimits.MaxRungs + 1));

        Expect.Line(Configs.ErrorLines($"entrypoint: model_def:T\nsearcher: {{name: adaptive_asha, metric: l, max_length: 1, max_trials: 4, bracket_rungs: [{rungs}]}}"),
            "<config>.searcher.bracket_rungs", $"{ConfigLimits.MaxRungs + 1} brackets");
    }

    [Fact]
    public void Deserialize_DoesNotApplyTheLimit_ToAStoredConfig()
    {
        // A master whose limit was lowered must still read the experiments it accepted before.
        var raised = Configs.Options() with { MaxTrials = 20000 };
        var loaded = ExperimentConfigLoader.Load("entrypoint: model_def:T\nsearcher: {name: random, metric: l, max_length: 1, max_trials: 20000}", raised);
        Assert.True(loaded.IsValid);

        var stored = ExperimentConfigJson.Deserialize(ExperimentConfigJson.Serialize(loaded.Config!));

        Assert.Equal(20000, Assert.IsType<RandomSearcherConfig>(stored.Searcher).MaxTrials);
    }
}
