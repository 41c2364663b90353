using System.Buffers.Binary;
using System.Text;
using Determinant.Harness.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Harness.Distributed;

/// <summary>
/// The training loop's view of the other workers: the chief's decisions (the searcher operation, the stop signal, the
/// best metric) broadcast to all, metrics reduced, and the trial's state copied from rank 0.
/// </summary>
internal sealed class WorkerGroup(ICollectives collectives, DistributedOptions options) : IDisposable
{
    public ICollectives Collectives => collectives;

    public DistributedOptions Options => options;

    public int Rank => collectives.Rank;

    public int Size => collectives.Size;

    public bool IsChief => collectives.Rank == 0;

    /// <summary>The chief's value on every worker; <paramref name="chiefValue"/> is read only on the chief.</summary>
    public bool Agree(bool chiefValue) => collectives.Broadcast(IsChief ? [chiefValue ? (byte)1 : (byte)0] : [], 0)[0] == 1;

    /// <summary>The chief's value on every worker (null included).</summary>
    public double? Agree(double? chiefValue)
    {
        var bytes = new byte[9];
        if (IsChief && chiefValue is { } value)
        {
            bytes[0] = 1;
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(1), value);
        }

        var received = collectives.Broadcast(IsChief ? bytes : [], 0);
        return received[0] == 1 ? BinaryPrimitives.ReadDoubleLittleEndian(received.AsSpan(1)) : null;
    }

    /// <summary>The chief's value on every worker (null included).</summary>
    public ulong? Agree(ulong? chiefValue)
    {
        var bytes = new byte[9];
        if (IsChief && chiefValue is { } value)
        {
            bytes[0] = 1;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1), value);
        }

        var received = collectives.Broadcast(IsChief ? bytes : [], 0);
        return received[0] == 1 ? BinaryPrimitives.ReadUInt64LittleEndian(received.AsSpan(1)) : null;
    }

    /// <summary>
    /// The training metrics of each batch of a step, averaged over the workers that trained it when
    /// <see cref="DistributedOptions.AverageTrainingMetrics"/> is on; otherwise the chief's own.
    /// </summary>
    public List<IReadOnlyDictionary<string, double>> TrainingMetrics(List<IReadOnlyDictionary<string, double>?> mine)
    {
        if (!options.AverageTrainingMetrics)
            return [.. mine.Where(m => m is not null).Select(m => m!)];
        var all = collectives.AllGather(Encode(mine)).Select(Decode).ToList();
        var result = new List<IReadOnlyDictionary<string, double>>(mine.Count);
        for (var b = 0; b < mine.Count; b++)
        {
            var batch = all.Select(worker => b < worker.Count ? worker[b] : null).Where(m => m is not null).Select(m => m!).ToList();
            if (batch.Count > 0)
                result.Add(MetricValues.Average(batch));
        }

        return result;
    }

    /// <summary>The mean of each metric over every worker's validation batches.</summary>
    public Dictionary<string, double> ValidationMetrics(List<IReadOnlyDictionary<string, double>> mine)
    {
        var all = collectives.AllGather(Encode([.. mine])).SelectMany(Decode).Where(m => m is not null).Select(m => m!).ToList();
        return MetricValues.Average(all);
    }

    /// <summary>Copies the models' weights and buffers and the optimizers' state from rank 0 to every worker.</summary>
    public void BroadcastTrialState(TorchTrial trial)
    {
        foreach (var model in trial.Models)
        {
            foreach (var (name, tensor) in model.state_dict())
                BroadcastTensor(name, tensor);
        }

        foreach (var optimizer in trial.Optimizers)
        {
            byte[] state = [];
            if (IsChief)
            {
                using var stream = new MemoryStream();
                using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
                    optimizer.save_state_dict(writer);
                state = stream.ToArray();
            }

            var received = collectives.Broadcast(state, 0);
            if (!IsChief)
            {
                using var reader = new BinaryReader(new MemoryStream(received));
                optimizer.load_state_dict(reader);
            }
        }
    }

    public void Dispose() => collectives.Dispose();

    private void BroadcastTensor(string name, Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        var local = tensor.detach().cpu().contiguous();
        var received = collectives.Broadcast(IsChief ? local.bytes : [], 0);
        if (IsChief)
            return;
        if (received.Length != local.bytes.Length)
            throw new InvalidOperationException($"rank {Rank}: model state '{name}' has {local.bytes.Length} bytes here but {received.Length} on rank 0; every worker must build the same model");
        received.CopyTo(local.bytes);
        using var noGrad = torch.no_grad();
        tensor.copy_(local);
    }

    private static byte[] Encode(List<IReadOnlyDictionary<string, double>?> batches)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(batches.Count);
            foreach (var batch in batches)
            {
                writer.Write(batch is null ? -1 : batch.Count);
                foreach (var (key, value) in batch ?? new Dictionary<string, double>())
                {
                    writer.Write(key);
                    writer.Write(value);
                }
            }
        }

        return stream.ToArray();
    }

    private static List<IReadOnlyDictionary<string, double>?> Decode(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
        var count = reader.ReadInt32();
        var batches = new List<IReadOnlyDictionary<string, double>?>(count);
        for (var b = 0; b < count; b++)
        {
            var keys = reader.ReadInt32();
            if (keys < 0)
            {
                batches.Add(null);
                continue;
            }

            var metrics = new Dictionary<string, double>(keys, StringComparer.Ordinal);
            for (var k = 0; k < keys; k++)
                metrics[reader.ReadString()] = reader.ReadDouble();
            batches.Add(metrics);
        }

        return batches;
    }
}

/// <summary>How a distributed trial runs: bucket size and metric averaging (<c>optimizations</c> of the config), and the collective timeout.</summary>
internal sealed record DistributedOptions(long TensorFusionThresholdBytes, bool AverageTrainingMetrics, TimeSpan CollectiveTimeout)
{
    /// <summary>The default bucket: 64 MB, as <c>optimizations.tensor_fusion_threshold</c> defaults to 64.</summary>
    public const int DefaultFusionThresholdMegabytes = 64;

    /// <summary>How long a collective waits for a peer by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);
}
