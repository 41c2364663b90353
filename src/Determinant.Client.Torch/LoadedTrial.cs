using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Client.Torch;

/// <summary>A trial rebuilt from a checkpoint, its weights loaded and its models in evaluation mode.</summary>
/// <remarks>Dispose it to free the models' tensors.</remarks>
public sealed class LoadedTrial : IDisposable
{
    internal LoadedTrial(Harness.TorchTrial trial, IReadOnlyList<nn.Module> models, string checkpointDirectory)
    {
        Trial = trial;
        Models = models;
        CheckpointDirectory = checkpointDirectory;
    }

    /// <summary>The trial object, built with the checkpoint's hyperparameters; cast it to the trial class to reach its members.</summary>
    public Harness.TorchTrial Trial { get; }

    /// <summary>The models the trial wrapped, in the order it wrapped them, with the checkpoint's weights.</summary>
    public IReadOnlyList<nn.Module> Models { get; }

    /// <summary>The first model the trial wrapped.</summary>
    public nn.Module Model => Models[0];

    /// <summary>The checkpoint directory the weights came from.</summary>
    public string CheckpointDirectory { get; }

    /// <summary>The trial's hyperparameters.</summary>
    public System.Text.Json.Nodes.JsonObject Hyperparameters => Trial.Context.Hyperparameters;

    /// <summary>Runs the first model on <paramref name="inputs"/> without gradients and returns its output (for a classifier, the logits).</summary>
    /// <param name="inputs">A batch, moved to the trial's device here.</param>
    /// <returns>The model's output; the caller disposes it.</returns>
    /// <exception cref="InvalidOperationException">The first model does not map one tensor to one tensor.</exception>
    public Tensor Predict(Tensor inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (Model is not nn.Module<Tensor, Tensor> module)
            throw new InvalidOperationException($"the trial's first model is a {Model.GetType().Name}, which does not map a tensor to a tensor; call it through Models");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var onDevice = inputs.to(Trial.Context.Device);
        return module.forward(onDevice).MoveToOuterDisposeScope();
    }

    /// <summary>For a classifier: the softmax probabilities of each class, one row per input.</summary>
    /// <param name="inputs">A batch of inputs.</param>
    /// <returns>Per input, the probability of each class.</returns>
    public float[][] PredictProbabilities(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var probabilities = nn.functional.softmax(Predict(inputs), 1).cpu();
        var (rows, columns) = ((int)probabilities.shape[0], (int)probabilities.shape[1]);
        var flat = probabilities.data<float>().ToArray();
        return [.. Enumerable.Range(0, rows).Select(r => flat.AsSpan(r * columns, columns).ToArray())];
    }

    /// <summary>For a classifier: the most likely class of each input.</summary>
    /// <param name="inputs">A batch of inputs.</param>
    /// <returns>Per input, the index of the largest output.</returns>
    public long[] PredictClasses(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return Predict(inputs).argmax(1).cpu().data<long>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose() => Trial.Dispose();
}
