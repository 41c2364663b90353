using System.Globalization;
using System.Text.Json.Nodes;

namespace Determinant.Harness.Tests.Core;

/// <summary>
/// What a command-entrypoint trial looks like with <see cref="CoreContext"/>: resume from the latest checkpoint, train each
/// operation in steps of 10 "batches" (a deterministic fake loss), report, check the stop signal after each step, and at
/// each target validate, checkpoint and complete the operation. On a stop it checkpoints and returns.
/// </summary>
internal static class CoreScript
{
    public const int StepSize = 10;

    /// <returns>Whether the script stopped because of the stop signal.</returns>
    public static async Task<bool> RunAsync(CoreContext core, CancellationToken cancellationToken)
    {
        var steps = 0UL;
        var weight = 1.0;
        if (core.LatestCheckpoint is { } uuid)
        {
            var restored = await core.Checkpoints.RestoreAsync(uuid, cancellationToken);
            steps = restored.StepsCompleted;
            weight = double.Parse(await File.ReadAllTextAsync(Path.Combine(restored.Directory, "weight.txt"), cancellationToken), CultureInfo.InvariantCulture);
        }

        await foreach (var op in core.Searcher.OperationsAsync(cancellationToken))
        {
            while (steps < op.Length)
            {
                steps += StepSize;
                weight *= 0.9;
                await core.Train.ReportTrainingMetricsAsync(steps, new Dictionary<string, double> { ["loss"] = weight }, cancellationToken);
                await op.ReportProgressAsync(steps, cancellationToken);
                if (await core.Preemption.ShouldPreemptAsync(cancellationToken))
                {
                    await StoreAsync(core, steps, weight, cancellationToken);
                    return true;
                }
            }

            await core.Train.ReportValidationMetricsAsync(steps, new Dictionary<string, double> { ["validation_loss"] = weight / 2 }, cancellationToken);
            await StoreAsync(core, steps, weight, cancellationToken);
            await op.CompleteAsync(weight / 2, cancellationToken);
        }

        return false;
    }

    private static Task<StoredCheckpoint> StoreAsync(CoreContext core, ulong steps, double weight, CancellationToken cancellationToken) =>
        core.Checkpoints.StoreAsync(
            (directory, ct) => File.WriteAllTextAsync(Path.Combine(directory, "weight.txt"), weight.ToString("R", CultureInfo.InvariantCulture), ct),
            steps, new JsonObject { ["note"] = "from a script" }, cancellationToken);
}
