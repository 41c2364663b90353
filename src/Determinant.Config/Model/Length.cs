namespace Determinant.Config;

/// <summary>An amount of training: <c>{batches: n}</c>, <c>{records: n}</c>, <c>{epochs: n}</c> or a bare integer (REFERENCE.md §2.4).</summary>
/// <param name="Unit">The unit the amount is counted in.</param>
/// <param name="Units">The amount, in <paramref name="Unit"/>.</param>
public readonly record struct Length(LengthUnit Unit, ulong Units)
{
    /// <summary>A length in batches.</summary>
    public static Length Batches(ulong n) => new(LengthUnit.Batches, n);

    /// <summary>A length in records.</summary>
    public static Length Records(ulong n) => new(LengthUnit.Records, n);

    /// <summary>A length in epochs.</summary>
    public static Length Epochs(ulong n) => new(LengthUnit.Epochs, n);

    /// <summary>A unitless length, interpreted by the training code.</summary>
    public static Length Unitless(ulong n) => new(LengthUnit.Unitless, n);

    /// <summary>The same unit with another amount.</summary>
    public Length WithUnits(ulong units) => this with { Units = units };

    /// <summary>
    /// Converts this length to batches as the harness does: records divide by the global batch size, epochs go through
    /// <paramref name="recordsPerEpoch"/>; both round down but never below one batch.
    /// </summary>
    /// <exception cref="InvalidOperationException">The unit needs a global batch size or records per epoch that is zero.</exception>
    public ulong ToBatches(ulong globalBatchSize, ulong recordsPerEpoch)
    {
        switch (Unit)
        {
            case LengthUnit.Batches:
                return Units;
            case LengthUnit.Records:
                if (globalBatchSize == 0)
                    throw new InvalidOperationException("a length in records needs global_batch_size > 0");
                return Math.Max(Units / globalBatchSize, 1);
            case LengthUnit.Epochs:
            case LengthUnit.Unitless:
                if (globalBatchSize == 0 || recordsPerEpoch == 0)
                    throw new InvalidOperationException("a length in epochs needs global_batch_size > 0 and records_per_epoch > 0");
                return Math.Max(Units * recordsPerEpoch / globalBatchSize, 1);
            default:
                throw new InvalidOperationException($"unknown length unit {Unit}");
        }
    }

    /// <summary>The config spelling of the unit (<c>batches</c>, <c>records</c>, <c>epochs</c>), or null when unitless.</summary>
    public string? UnitName => Unit switch
    {
        LengthUnit.Batches => "batches",
        LengthUnit.Records => "records",
        LengthUnit.Epochs => "epochs",
        _ => null,
    };

    /// <inheritdoc/>
    public override string ToString() => UnitName is { } name ? $"{{{name}: {Units}}}" : Units.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
