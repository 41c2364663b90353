using System.Text.Json.Nodes;

namespace Determinant.Config.Tests.Loading;

/// <summary>The hyperparameter forms and their checks (REFERENCE.md §2.3).</summary>
public sealed class HyperparameterTests
{
    private static ExperimentConfig Load(string hyperparameters) =>
        Configs.LoadValid($"entrypoint: a:B\nsearcher: {{name: single, metric: l, max_length: 5}}\nhyperparameters: {hyperparameters}");

    private static IReadOnlyList<string> Errors(string hyperparameters) =>
        Configs.ErrorLines($"entrypoint: a:B\nsearcher: {{name: single, metric: l, max_length: 5}}\nhyperparameters: {hyperparameters}");

    [Fact]
    public void Load_ReadsEveryTypedForm()
    {
        var hps = Load("""
            {c: {type: const, val: [1, 2]}, i: {type: int, minval: -2, maxval: 2.0, count: 3}, d: {type: double, minval: 0, maxval: 1},
             l: {type: log, minval: -4, maxval: 0, base: 2}, k: {type: categorical, vals: [1, x, true]}}
            """).Hyperparameters;

        Assert.True(JsonNode.DeepEquals(new JsonArray(1, 2), Assert.IsType<ConstHyperparameter>(hps["c"]).Value));
        Assert.Equal(new IntHyperparameter(-2, 2, 3), hps["i"]);
        Assert.Equal(new DoubleHyperparameter(0, 1), hps["d"]);
        Assert.Equal(new LogHyperparameter(-4, 0, 2), hps["l"]);
        Assert.Equal(3, Assert.IsType<CategoricalHyperparameter>(hps["k"]).Vals.Length);
        Assert.Equal(["c", "d", "i", "k", "l"], hps.Keys);
    }

    [Fact]
    public void Load_KeepsAnEmptyNestedMap()
    {
        var nested = Assert.IsType<NestedHyperparameter>(Load("{opt: {}}").Hyperparameters["opt"]);

        Assert.Empty(nested.Children);
    }

    [Fact]
    public void Load_NestsToAnyDepth_WithPathsInErrors()
    {
        var lines = Errors("{a: {b: {c: {type: int, minval: 3, maxval: 1}}}}");

        Expect.Line(lines, "<config>.hyperparameters.a.b.c", "minval");
    }

    [Theory]
    [InlineData("{x: {type: int, minval: 1.5, maxval: 3}}", "<config>.hyperparameters.x.minval", "integer")]
    [InlineData("{x: {type: int, maxval: 3}}", "<config>.hyperparameters.x", "minval")]
    [InlineData("{x: {type: double, minval: 1, maxval: 2, count: 0}}", "<config>.hyperparameters.x.count", ">= 1")]
    [InlineData("{x: {type: log, minval: 1, maxval: 2, base: 0}}", "<config>.hyperparameters.x.base", "> 0")]
    [InlineData("{x: {type: categorical, vals: []}}", "<config>.hyperparameters.x.vals", "at least one")]
    [InlineData("{x: {type: categorical}}", "<config>.hyperparameters.x", "vals")]
    [InlineData("{x: {type: const}}", "<config>.hyperparameters.x", "val")]
    [InlineData("{x: {type: 3}}", "<config>.hyperparameters.x.type", "string")]
    [InlineData("[1, 2]", "<config>.hyperparameters", "map")]
    public void Load_RejectsMalformedHyperparameters(string hyperparameters, string path, string word)
    {
        Expect.Line(Errors(hyperparameters), path, word);
    }

    [Fact]
    public void Load_KeepsAnExplicitNullConst()
    {
        Assert.Null(Assert.IsType<ConstHyperparameter>(Load("{x: {type: const, val: null}}").Hyperparameters["x"]).Value);
    }

    [Fact]
    public void Load_ChecksNumericRangesStrictly_ForDoubles()
    {
        Expect.Line(Errors("{x: {type: double, minval: 0.5, maxval: 0.5}}"), "<config>.hyperparameters.x", "minval must be less than maxval");
    }
}
