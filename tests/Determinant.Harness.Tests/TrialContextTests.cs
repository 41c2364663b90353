using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Harness.Tests;

/// <summary>Typed hyperparameter getters name the hyperparameter when it is missing or of the wrong type.</summary>
public sealed class TrialContextTests
{
    private static readonly TrialContext Context = new()
    {
        Hyperparameters = JsonNode.Parse("""{"learning_rate": 0.01, "layers": 4, "whole": 16.0, "name": "adam", "flag": true, "global_batch_size": 30}""")!.AsObject(),
        ExperimentConfig = ExperimentConfigLoader.LoadForPreview("searcher: {name: single, metric: m, max_length: {batches: 1}}").Config!,
    };

    [Fact]
    public void Getters_ReturnTypedValues()
    {
        Assert.Equal(0.01, Context.GetDouble("learning_rate"));
        Assert.Equal(4, Context.GetInt("layers"));
        Assert.Equal(16, Context.GetInt("whole"));
        Assert.Equal("adam", Context.GetString("name"));
        Assert.True(Context.GetBool("flag"));
        Assert.Equal(30, Context.PerSlotBatchSize);
    }

    [Fact]
    public void GetDouble_ThrowsListingTheHyperparameters_WhenNameIsMissing()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Context.GetDouble("lr"));

        Assert.Contains("no hyperparameter 'lr'", error.Message, StringComparison.Ordinal);
        Assert.Contains("flag, global_batch_size, layers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetInt_ThrowsNamingValue_WhenNotAnInteger()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Context.GetInt("learning_rate"));

        Assert.Equal("hyperparameter 'learning_rate' must be an integer, not 0.01", error.Message);
    }
}
