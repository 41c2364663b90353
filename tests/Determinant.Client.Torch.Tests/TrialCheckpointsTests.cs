using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Testing;
using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Client.Torch.Tests;

/// <summary>
/// <see cref="TrialCheckpoints.Load(string, TrialLoadOptions?, CancellationToken)"/> on checkpoint directories laid out as the
/// harness writes them: examples/iris as the stored code, weights written with TorchSharp, and broken variants of each part.
/// </summary>
public sealed class TrialCheckpointsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("det-load-trial-").FullName;

    private TrialLoadOptions Options => new() { CacheDirectory = Path.Combine(_root, "cache") };

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Load_RebuildsTheIrisTrial_WithTheCheckpointsHyperparametersAndWeights()
    {
        var directory = IrisCheckpoint("good", hidden: 8);
        using var reference = IrisNetwork(hidden: 8, seed: 7);
        reference.save(Path.Combine(directory, "model.dat"));

        using var trial = TrialCheckpoints.Load(directory, Options, CancellationToken.None);

        Assert.Equal("Determinant.Examples.Iris.IrisTrial", trial.Trial.GetType().FullName);
        Assert.Equal(8, trial.Trial.Context.GetInt("layer1_dense_size"));
        Assert.Equal(3, trial.Trial.Context.ExperimentId);
        Assert.False(trial.Model.training);
        using var flowers = tensor(new float[] { 5f, 3.9f, 2f, 0.5f, 5f, 2.5f, 3f, 1f, 6.9f, 3.1f, 5.4f, 2.1f }, [3, 4]);
        using var expected = reference.forward(flowers);
        using var actual = trial.Predict(flowers);
        Assert.True(actual.allclose(expected), $"predicted {string.Join(' ', actual.data<float>().ToArray())}, expected {string.Join(' ', expected.data<float>().ToArray())}");
        var probabilities = trial.PredictProbabilities(flowers);
        Assert.All(probabilities, row => Assert.Equal(1.0, row.Sum(), 4));
        using var argmax = expected.argmax(1);
        Assert.Equal(argmax.data<long>().ToArray(), trial.PredictClasses(flowers));
    }

    [Fact]
    public void Load_NamesTheMissingFile_ForADirectoryThatIsNoHarnessCheckpoint()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "empty")).FullName;

        var error = Assert.Throws<InvalidDataException>(() => TrialCheckpoints.Load(directory, Options, CancellationToken.None));

        Assert.Contains(Path.Combine(directory, "load.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsCompilerErrorsWithFileAndLine_WhenTheStoredCodeDoesNotCompile()
    {
        var directory = IrisCheckpoint("broken", hidden: 8);
        File.AppendAllText(Path.Combine(directory, "code", "model_def.cs"), "\nclass Broken { int x = \"text\"; }\n");

        var error = Assert.Throws<InvalidDataException>(() => TrialCheckpoints.Load(directory, Options, CancellationToken.None));

        Assert.Contains("does not compile for entrypoint model_def:IrisTrial", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"model_def\.cs\(\d+,\d+\): error CS0029", error.Message);
    }

    [Fact]
    public void Load_FailsAndNamesTheFile_WhenTheWeightsAreMissing()
    {
        var directory = IrisCheckpoint("no-weights", hidden: 8);

        var error = Assert.Throws<InvalidDataException>(() => TrialCheckpoints.Load(directory, Options, CancellationToken.None));

        Assert.Contains("has no model.dat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Fails_WhenTheWeightsDoNotFitTheRebuiltModel()
    {
        var directory = IrisCheckpoint("wrong-size", hidden: 8);
        using (var other = IrisNetwork(hidden: 5, seed: 1))
            other.save(Path.Combine(directory, "model.dat"));

        Assert.ThrowsAny<Exception>(() => TrialCheckpoints.Load(directory, Options, CancellationToken.None).Dispose());
    }

    /// <summary>A checkpoint directory as the harness writes one for examples/iris, without weights: code/, load.json, metadata.json.</summary>
    private string IrisCheckpoint(string name, int hidden)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var code = Directory.CreateDirectory(Path.Combine(directory, "code")).FullName;
        File.Copy(TestRepository.PathOf("examples/iris/model_def.cs"), Path.Combine(code, "model_def.cs"));
        var loaded = ExperimentConfigLoader.Load(File.ReadAllText(TestRepository.PathOf("examples/iris/const.yaml")));
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var hparams = new JsonObject
        {
            ["learning_rate"] = 0.01, ["learning_rate_decay"] = 1e-6, ["layer1_dense_size"] = hidden, ["global_batch_size"] = 30,
        };
        var load = new JsonObject
        {
            ["trial_type"] = "TorchTrial",
            ["experiment_config"] = JsonNode.Parse(ExperimentConfigJson.Serialize(loaded.Config!)),
            ["hparams"] = hparams,
            ["trial_cls_spec"] = "model_def:IrisTrial",
        };
        File.WriteAllText(Path.Combine(directory, "load.json"), load.ToJsonString());
        File.WriteAllText(Path.Combine(directory, "metadata.json"), """{"steps_completed": 100, "experiment_id": 3, "trial_id": 9}""");
        return directory;
    }

    /// <summary>The network IrisTrial builds (same module names), with seeded weights that differ from any other seed's.</summary>
    private static nn.Module<Tensor, Tensor> IrisNetwork(int hidden, int seed)
    {
        manual_seed(seed);
        return nn.Sequential(("dense1", nn.Linear(4, hidden)), ("relu", nn.ReLU()), ("output", nn.Linear(hidden, 3)));
    }
}
