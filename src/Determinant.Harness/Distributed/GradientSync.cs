using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Determinant.Harness.Distributed;

/// <summary>
/// Averages gradients across the workers between the trial's backward pass and its optimizer step, with no change to
/// the trial: while <see cref="TorchTrial.TrainBatch"/> runs, the wrapped optimizers' parameter groups are emptied, so
/// the trial's own <c>zero_grad()</c> and <c>step()</c> touch nothing; afterwards the harness averages the gradients
/// (weighted by the records each worker trained) in fused buckets and steps each optimizer once.
/// </summary>
/// <remarks>
/// TorchSharp has no gradient hooks, so the all-reduce follows the backward pass instead of overlapping it. Gradients
/// are float32. A trial that steps an optimizer more than once per batch, or accumulates gradients over batches, is not
/// supported in a distributed trial (docs/distributed.md).
/// </remarks>
internal sealed class GradientSync
{
    private readonly ICollectives _collectives;
    private readonly IReadOnlyList<OptimizerHelper> _optimizers;
    private readonly List<(ParamGroup Group, IEnumerable<Parameter> Parameters)> _hidden = [];
    private readonly Parameter[] _parameters;
    private readonly List<(int First, int Count, float[] Buffer)> _buckets = [];

    public GradientSync(ICollectives collectives, IReadOnlyList<OptimizerHelper> optimizers, long bucketBytes)
    {
        _collectives = collectives;
        _optimizers = optimizers;
        var seen = new HashSet<IntPtr>();
        _parameters = [.. optimizers.SelectMany(o => o.ParamGroups.Cast<ParamGroup>()).SelectMany(g => g.Parameters).Where(p => seen.Add(p.Handle))];
        foreach (var parameter in _parameters)
        {
            if (parameter.dtype != ScalarType.Float32)
                throw new NotSupportedException($"distributed training averages float32 gradients; a parameter of shape [{string.Join(", ", parameter.shape)}] is {parameter.dtype}");
        }

        // Bucket 0 also carries the records this worker trained (its weight) and which parameters got a gradient.
        var first = 0;
        long extra = 1 + _parameters.Length;
        while (first < _parameters.Length || _buckets.Count == 0)
        {
            var count = 0;
            var elements = extra;
            while (first + count < _parameters.Length
                && (count == 0 || (elements + _parameters[first + count].NumberOfElements) * sizeof(float) <= bucketBytes))
                elements += _parameters[first + count++].NumberOfElements;
            _buckets.Add((first, count, new float[checked((int)elements)]));
            first += count;
            extra = 0;
        }
    }

    /// <summary>Buckets the gradients travel in (at least one).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>Seconds spent averaging gradients so far, for the benchmark's communication share.</summary>
    public double CommunicationSeconds { get; private set; }

    /// <summary>Zeroes the gradients and hides the parameters from the optimizers until <see cref="Restore"/>.</summary>
    public void Hide()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }

        foreach (var optimizer in _optimizers)
        {
            foreach (var group in optimizer.ParamGroups.Cast<ParamGroup>())
            {
                _hidden.Add((group, group.Parameters));
                group.Parameters = [];
            }
        }
    }

    /// <summary>Gives the optimizers their parameters back.</summary>
    public void Restore()
    {
        foreach (var (group, parameters) in _hidden)
            group.Parameters = parameters;
        _hidden.Clear();
    }

    /// <summary>Replaces each gradient with the record-weighted mean over the workers, then steps every wrapped optimizer.</summary>
    /// <param name="records">Records this worker trained in the batch; 0 when it had none.</param>
    public void AverageAndStep(long records)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var total = 0.0;
        for (var b = 0; b < _buckets.Count; b++)
        {
            var (first, count, buffer) = _buckets[b];
            var offset = 0;
            if (b == 0)
            {
                buffer[offset++] = records;
                for (var i = 0; i < _parameters.Length; i++)
                    buffer[offset++] = HasGradient(_parameters[i]) ? 1 : 0;
            }

            for (var i = first; i < first + count; i++)
                offset += CopyOut(_parameters[i], buffer.AsSpan(offset), records);
            _collectives.AllReduceSum(buffer);
            offset = 0;
            if (b == 0)
            {
                total = buffer[offset++];
                if (total <= 0)
                    throw new InvalidOperationException("no worker trained a record in this batch");
                for (var i = 0; i < _parameters.Length; i++)
                {
                    var holders = buffer[offset++];
                    if (holders > 0 && !HasGradient(_parameters[i]))
                    {
                        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                            $"parameter {i} (shape [{string.Join(", ", _parameters[i].shape)}]) got a gradient on {holders} worker(s) but none on rank {_collectives.Rank}; every worker must use the same parameters"));
                    }
                }
            }

            for (var i = first; i < first + count; i++)
                offset += CopyIn(_parameters[i], buffer.AsSpan(offset), 1.0 / total);
        }

        CommunicationSeconds += clock.Elapsed.TotalSeconds;
        foreach (var optimizer in _optimizers)
            optimizer.step();
    }

    private static bool HasGradient(Parameter parameter)
    {
        using var grad = parameter.grad;
        return grad is not null;
    }

    private static int CopyOut(Parameter parameter, Span<float> target, long weight)
    {
        var length = checked((int)parameter.NumberOfElements);
        using var grad = parameter.grad;
        if (grad is null)
        {
            target[..length].Clear();
            return length;
        }

        using var contiguous = grad.cpu().contiguous();
        var source = MemoryMarshal.Cast<byte, float>(contiguous.bytes);
        for (var i = 0; i < length; i++)
            target[i] = source[i] * weight;
        return length;
    }

    private static int CopyIn(Parameter parameter, ReadOnlySpan<float> source, double scale)
    {
        var length = checked((int)parameter.NumberOfElements);
        using var grad = parameter.grad;
        if (grad is null)
            return length;
        var factor = (float)scale;
        if (grad.is_contiguous() && grad.device_type == DeviceType.CPU)
        {
            var target = MemoryMarshal.Cast<byte, float>(grad.bytes);
            for (var i = 0; i < length; i++)
                target[i] = source[i] * factor;
        }
        else
        {
            using var averaged = torch.tensor(source[..length].ToArray()).mul_(factor).reshape(grad.shape);
            using var noGrad = torch.no_grad();
            grad.copy_(averaged);
        }

        return length;
    }
}
