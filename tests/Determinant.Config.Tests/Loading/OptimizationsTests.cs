namespace Determinant.Config.Tests.Loading;

/// <summary><c>optimizations.tensor_fusion_threshold</c> and <c>average_training_metrics</c>, which distributed training reads, are checked at submit.</summary>
public sealed class OptimizationsTests
{
    private const string Base = "entrypoint: model_def:Trial\nsearcher: {name: single, metric: l, max_length: {batches: 1}}\n";

    [Fact]
    public void Load_KeepsTheOptimizations_WhenTheyAreValid()
    {
        var config = Configs.LoadValid(Base + "optimizations: {tensor_fusion_threshold: 16, average_training_metrics: false, aggregation_frequency: 1}");

        Assert.Equal("16", config.Optimizations!["tensor_fusion_threshold"]!.ToJsonString());
        Assert.False((bool)config.Optimizations["average_training_metrics"]!);
    }

    [Theory]
    [InlineData("tensor_fusion_threshold: 0", "tensor_fusion_threshold", "[1, 4096]")]
    [InlineData("tensor_fusion_threshold: 2.5", "tensor_fusion_threshold", "2.5")]
    [InlineData("tensor_fusion_threshold: big", "tensor_fusion_threshold", "\"big\"")]
    [InlineData("average_training_metrics: 1", "average_training_metrics", "true or false")]
    public void Load_RefusesAnOptimization_NamingTheFieldAndTheRule(string field, string name, string words)
    {
        var lines = Configs.ErrorLines(Base + "optimizations: {" + field + "}");

        Expect.Line(lines, "<config>.optimizations." + name, words);
        Assert.Single(lines);
    }
}
