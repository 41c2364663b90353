using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Harness;

/// <summary>One batch of named tensors; most trials use <see cref="Inputs"/> and <see cref="Targets"/>.</summary>
/// <remarks>
/// The harness creates each training and evaluation batch inside a <c>torch.NewDisposeScope()</c> that ends after the
/// trial's <c>TrainBatch</c> or <c>EvaluateBatch</c>, so a batch's tensors must not be kept beyond that call.
/// </remarks>
public sealed class Batch
{
    /// <summary>The name of the inputs tensor in a batch made from inputs and targets.</summary>
    public const string InputsName = "inputs";

    /// <summary>The name of the targets tensor in a batch made from inputs and targets.</summary>
    public const string TargetsName = "targets";

    private readonly Dictionary<string, Tensor> _tensors;

    /// <summary>A batch of named tensors whose first dimension is the record.</summary>
    /// <exception cref="ArgumentException">There are no tensors.</exception>
    public Batch(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
            throw new ArgumentException("a batch needs at least one tensor", nameof(tensors));
        _tensors = new Dictionary<string, Tensor>(tensors, StringComparer.Ordinal);
    }

    /// <summary>A batch of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    public Batch(Tensor inputs, Tensor targets)
        : this(new Dictionary<string, Tensor> { [InputsName] = inputs, [TargetsName] = targets })
    {
    }

    /// <summary>The tensor named <see cref="InputsName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such tensor.</exception>
    public Tensor Inputs => this[InputsName];

    /// <summary>The tensor named <see cref="TargetsName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such tensor.</exception>
    public Tensor Targets => this[TargetsName];

    /// <summary>The names of the tensors.</summary>
    public IEnumerable<string> Names => _tensors.Keys;

    /// <summary>Records in the batch: the first dimension of its first tensor.</summary>
    public long Size => _tensors.Values.First() is { Dimensions: > 0 } t ? t.shape[0] : 1;

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such tensor; the message lists the names it has.</exception>
    public Tensor this[string name] => _tensors.TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"the batch has no tensor '{name}'; it has: {string.Join(", ", _tensors.Keys)}");

    /// <summary>The same batch with every tensor on <paramref name="device"/> (this batch when they already are).</summary>
    public Batch To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (_tensors.Values.All(t => t.device_type == device.type && t.device_index == device.index))
            return this;
        return new Batch(_tensors.ToDictionary(p => p.Key, p => p.Value.to(device), StringComparer.Ordinal));
    }
}
