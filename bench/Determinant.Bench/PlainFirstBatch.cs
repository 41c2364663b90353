using System.Globalization;
using Determinant.Harness;
using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Bench;

/// <summary>
/// The submit-to-first-batch baseline, run as this binary with <c>--plain-first-batch IRIS_DIR</c>: a fresh .NET process
/// that loads TorchSharp, reads the Iris training data, builds the same MLP and Adam, trains one batch of 30, and prints
/// the UTC time (round-trip format) at which the batch finished. It is what any .NET training process pays before its
/// first batch: runtime start, libtorch load, JIT of the training path.
/// </summary>
internal static class PlainFirstBatch
{
    public const string Switch = "--plain-first-batch";

    public static int Run(string[] args)
    {
        TorchRuntime.EnsureLoaded();
        var rows = File.ReadLines(Path.Combine(args[1], "data", "iris_training.csv")).Skip(1).Take(30)
            .Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        using var scope = torch.NewDisposeScope();
        var inputs = tensor(rows.SelectMany(r => r[..4]).ToArray(), [rows.Length, 4]);
        var targets = tensor(rows.Select(r => (long)r[4]).ToArray());
        var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3));
        var optimizer = optim.Adam(model.parameters(), lr: 1e-4);
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(inputs), targets);
        loss.backward();
        optimizer.step();
        _ = loss.item<float>();
        Console.WriteLine(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return 0;
    }
}
